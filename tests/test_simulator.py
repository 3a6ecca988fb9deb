"""The report's simulator: its exported numbers reproduce the library's evaluation of any plan."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from accessmap.conventions import APL_SECONDARY, VOLUNTEER_WEEKS_PER_CENTRE, WEEKS_PER_FTE
from accessmap.diagnostic.decisions import DecisionInputs, evaluate_plan, parse_plan
from accessmap.messages import CATALOGUE
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.report.simulator import simulator_data, simulator_section, standalone_html

YEARS = (2026, 2031, 2036)
#: Commune, population, today's APL, loss of APL a year (retirements), in the territory.
COMMUNES = (
    ("19001", 1200.0, 3.1, 0.12, True),
    ("19002", 450.0, 2.6, 0.05, True),
    ("19003", 80.0, 1.9, 0.02, True),
    ("19004", 2300.0, 4.6, 0.15, True),
    ("19005", 640.0, 2.4, 0.0, True),
    ("19006", 0.0, 0.0, 0.0, True),  # uninhabited: never counted as a commune under
    ("23001", 900.0, 3.5, 0.1, False),  # outside the territory: in the catchments only
    ("19007", 300.0, 2.49999, 0.0, True),  # far, just under 2,5 within the tolerance: not under
)
#: Existing sites (id, commune, kind) and host town halls (INSEE codes).
EXISTING = (("cab-19001", "19001", "cabinet"), ("msp-19004", "19004", "msp"))
HOSTS = ("19002", "19005")
#: Commune positions along a road (minutes from the first).
ALONG = {"19001": 0.0, "19002": 6.0, "19003": 11.0, "19004": 17.0, "19005": 23.0,
         "19006": 27.0, "23001": 8.0, "19007": 140.0}  # fmt: skip


def tiny_decisions(
    profession: str = DEFAULT_PROFESSION, *, scale: float = 1.0, threshold: float = 2.5
) -> tuple[dict[int, DecisionInputs], pd.DataFrame, object]:
    """A hand-made territory: one decision problem a year, its sites and its communes.

    ``scale`` multiplies the APL (other professions count FTE per 100 000 inhabitants); a
    profession other than GPs has no official threshold nor published APL.
    """
    import geopandas as gpd
    from shapely.geometry import box

    ids = [c[0] for c in COMMUNES]
    where = {**{h: ALONG[h] for h in HOSTS}, **{s: ALONG[c] for s, c, _ in EXISTING}}
    od = pd.DataFrame(
        [(i, s, abs(ALONG[i] - at) + 1.0) for i in ids for s, at in where.items()],
        columns=["origin_id", "dest_id", "minutes"],
    )
    population = np.array([c[1] for c in COMMUNES])
    inside = np.array([c[4] for c in COMMUNES])
    demand = pd.DataFrame(
        {"id": ids, "population": population, "in_territory": inside,
         "pop_std": population * np.linspace(0.9, 1.2, len(ids)),
         "counted": np.where(inside, population, 0.0)}
    )  # fmt: skip
    today = pd.DataFrame({"id": ids, "apl": [scale * c[2] for c in COMMUNES]})
    gp = profession == DEFAULT_PROFESSION
    decs = {
        y: DecisionInputs(
            profession=profession,
            start_year=2026,
            year=y,
            threshold=threshold,
            official_threshold=gp,
            official=gp,
            od=od,
            demand=demand,
            existing=tuple(s for s, _, _ in EXISTING),
            candidates=HOSTS,
            today=today,
            baseline=today.assign(
                apl=[scale * max(0.0, c[2] - c[3] * (y - 2026)) for c in COMMUNES]
            ),
            draws=None,
        )
        for y in YEARS
    }
    sites = pd.DataFrame(
        [(s, f"Site {c}", k, 1.9 + 0.01 * ALONG[c], 45.7) for s, c, k in EXISTING],
        columns=["site_id", "name", "kind", "lon", "lat"],
    )
    communes = gpd.GeoDataFrame(
        {"code": ids, "nom": [f"Commune {i}" for i in ids],
         "mairie_lon": [1.9 + 0.01 * ALONG[i] + 0.002 for i in ids], "mairie_lat": 45.7},
        geometry=[box(1.895 + 0.01 * ALONG[i], 45.65, 1.905 + 0.01 * ALONG[i] + 0.05, 45.75)
                  for i in ids],
        crs="EPSG:4326",
    )  # fmt: skip
    return decs, sites, communes


#: Plans the tests place: one site, several sites, a rotation with fractional FTE, a volunteer
#: centre at a host, the same site twice (summed as parse_plan sums it).
PLANS = (
    "19002:2",
    "cab-19001:1,19005:2,msp-19004:1.5",
    "19002:0.3,19005:0.2,msp-19004:0.5",
    f"19005:{round(VOLUNTEER_WEEKS_PER_CENTRE / WEEKS_PER_FTE, 2)}",
    "19002:1,19002:1.5",
)


def tiny_data(recommended: dict[str, float] | None = None) -> tuple[dict[str, object], dict]:
    decs, sites, communes = tiny_decisions()
    data = simulator_data(
        {DEFAULT_PROFESSION: decs}, communes=communes, sites={DEFAULT_PROFESSION: sites},
        recommended={DEFAULT_PROFESSION: recommended} if recommended else None,
        apl_vintage=2023,
    )  # fmt: skip
    return data, decs


def page_arithmetic(data: dict, plan: dict[str, float], year: int | None) -> dict[str, float]:
    """What the page computes (simulator.js), in numpy, from the exported data only."""
    prof = data["professions"][0]
    communes = data["communes"]
    people = np.array(communes["pop"])
    std = np.array(communes["std"])
    base = np.array(prof["today"] if year is None else prof["baseline"][str(year)])
    delta = np.zeros(len(people))
    sites = {s["id"]: s for s in prof["sites"]}
    for site, fte in plan.items():
        flat = sites[site]["g"]
        for i, g in zip(flat[0::2], flat[1::2], strict=True):
            delta[int(i)] += g * fte
    apl = base + delta
    tol = data["tol"]

    def under(level: float) -> np.ndarray:
        return apl < level - tol * max(1.0, level)

    low, second = under(prof["threshold"]), under(prof["secondary"])
    return {
        "under": float(people[low].sum()),
        "communes": int((low & (people > 0)).sum()),
        "under2": float(people[second].sum()),
        "apl": float((apl * std).sum() / std.sum()),
        "delta": delta,
    }


@pytest.mark.parametrize("text", PLANS)
def test_exported_data_reproduce_evaluate_plan(text: str):
    data, decs = tiny_data()
    json.loads(json.dumps(data))  # JSON-able
    for year, dec in decs.items():
        plan = parse_plan(text, known=dec.sites)
        library = evaluate_plan(dec, plan)
        for when, page in (("today", page_arithmetic(data, plan, None)),
                           ("year", page_arithmetic(data, plan, year))):  # fmt: skip
            assert page["under"] == getattr(library, f"under_{when}")
            assert page["communes"] == getattr(library, f"communes_under_{when}")
            assert page["under2"] == getattr(library, f"under_secondary_{when}")
            assert page["apl"] == pytest.approx(getattr(library, f"apl_{when}"), abs=1e-6)
        assert page["delta"] == pytest.approx(library.communes["gain"].to_numpy(), abs=1e-6)


def test_plans_move_the_figures_and_the_baseline_follows_the_year():
    data, decs = tiny_data()
    prof = data["professions"][0]
    assert prof["years"] == list(YEARS)
    assert prof["baseline"]["2026"] == prof["today"]
    assert prof["baseline"]["2036"] != prof["today"]
    nothing = evaluate_plan(decs[2036], {})
    placed = evaluate_plan(decs[2036], parse_plan(PLANS[1], known=decs[2036].sites))
    assert placed.under_year < nothing.under_year  # the tiny territory is not trivial
    assert nothing.communes_under_year > 0
    # the tolerance of "under" matters here: 19007 is under 2,5 by less than it
    far = nothing.communes.set_index("id").loc["19007"]
    assert 2.5 - 2.5e-5 < far["apl_year"] < 2.5
    assert not far["below_year"]
    assert prof["secondary"] == APL_SECONDARY


def test_sites_are_labelled_grouped_and_placed_on_the_map():
    data, decs = tiny_data({"19002": 2.0, "unknown": 1.0})
    prof = data["professions"][0]
    sites = {s["id"]: s for s in prof["sites"]}
    assert set(sites) == set(decs[2036].sites)
    assert sites["msp-19004"]["group"] == "existing"
    assert sites["msp-19004"]["label"] == "Site 19004 (MSP)"
    assert sites["19002"]["group"] == "host"
    assert sites["19002"]["label"].startswith("Commune 19002")
    assert all(len(s["xy"]) == 2 for s in sites.values())
    assert prof["recommended"] == {"19002": 2.0}  # a site with no effect is not offered
    communes = data["communes"]
    assert communes["ids"] == [c[0] for c in COMMUNES if c[4]]  # the territory's only
    assert all(p.startswith("M") and p.endswith("Z") for p in communes["paths"])
    assert data["volunteer_fte"] == round(VOLUNTEER_WEEKS_PER_CENTRE / WEEKS_PER_FTE, 2)


def test_section_is_french_self_contained_and_every_label_is_in_the_catalogue():
    data, _ = tiny_data({"19002": 2.0})
    assert {f"simulator.{k}" for k in data["labels"]} <= set(CATALOGUE)
    section = simulator_section(data)
    assert 'id="simulateur"' in section
    assert "http" not in section.replace("http://www.w3.org/2000/svg", "")
    assert "</script>" not in section.split('data-sim="data">')[1].split("</script>")[0]
    page = standalone_html(data)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page
    caveat = data["professions"][0]["caveat"]
    assert "Projection" in caveat
    assert "illustratifs" in caveat
    assert "2023" in caveat


def test_labels_with_a_closing_script_tag_stay_inside_the_data():
    data, _ = tiny_data()
    data["communes"]["names"][0] = "</script><b>x"
    section = simulator_section(data)
    inside = section.split('data-sim="data">')[1].split("</script>")[0]
    assert json.loads(inside)["communes"]["names"][0] == "</script><b>x"


#: A second profession of the tiny territory: nurses, APL in FTE per 100 000 inhabitants, the
#: convention threshold (no official one).
NURSES = ("infirmier", 40.0, 100.0)


def two_professions() -> tuple[dict[str, object], dict[str, dict[int, DecisionInputs]]]:
    """The tiny territory's data with GPs and nurses."""
    gps, sites, communes = tiny_decisions()
    key, scale, level = NURSES
    nurses, _, _ = tiny_decisions(key, scale=scale, threshold=level)
    decisions = {DEFAULT_PROFESSION: gps, key: nurses}
    data = simulator_data(
        decisions, communes=communes, sites={DEFAULT_PROFESSION: sites, key: sites},
        recommended={key: {"19005": 2.0}},
    )  # fmt: skip
    return data, decisions


def test_a_profession_without_official_threshold_has_no_second_threshold():
    data, decisions = two_professions()
    gps, nurses = data["professions"]
    assert [gps["key"], nurses["key"]] == [DEFAULT_PROFESSION, NURSES[0]]
    assert nurses["secondary"] is None
    assert nurses["threshold"] == NURSES[2]
    assert "convention" in nurses["thresholds_note"]
    assert "modélisé" in nurses["caveat"]
    assert gps["recommended"] is None
    dec = decisions[NURSES[0]][2036]
    plan = parse_plan("19002:1,msp-19004:0.4", known=dec.sites)
    library = evaluate_plan(dec, plan)
    sites = {s["id"]: s for s in nurses["sites"]}
    delta = np.zeros(len(data["communes"]["ids"]))
    for site, fte in plan.items():
        flat = sites[site]["g"]
        delta[np.array(flat[0::2], dtype=int)] += np.array(flat[1::2]) * fte
    apl = np.array(nurses["baseline"]["2036"]) + delta
    assert apl == pytest.approx(library.communes["apl_year"].to_numpy(), abs=1e-4)
