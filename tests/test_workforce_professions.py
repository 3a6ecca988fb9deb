"""Outlook per profession (issue 14): separate supplies, flags, and communes losing several."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from accessmap import workforce as wf
from accessmap.errors import ValidationError
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.supply import Roster, make_roster

START = 2025

# Three communes on a line; sA in A, sB in B, sC in C.
DEMAND = pd.DataFrame(
    {"id": ["19001", "19002", "19003"], "population": [1000, 400, 250], "in_territory": True}
)
TIMES = {
    ("19001", "sA"): 2.0, ("19002", "sA"): 25.0, ("19003", "sA"): 40.0,
    ("19001", "sB"): 25.0, ("19002", "sB"): 3.0, ("19003", "sB"): 28.0,
    ("19001", "sC"): 45.0, ("19002", "sC"): 29.0, ("19003", "sC"): 2.0,
}  # fmt: skip
OD = pd.DataFrame(
    [(o, d, m, "crowfly") for (o, d), m in TIMES.items()],
    columns=["origin_id", "dest_id", "minutes", "method"],
)
SITES = pd.DataFrame(
    {
        "site_id": ["sA", "sB", "sC"],
        "commune_code": ["19001", "19002", "19003"],
        "lon": [2.0, 2.1, 2.2],
        "lat": [45.6, 45.6, 45.6],
        "kind": ["msp", "msp", "cabinet"],
    }
)
#: id, profession, birth year, site. With a fixed retirement age of 65, everyone born before 1961
#: stops in 2026 (the first projected year); the others practise through 2030.
PEOPLE = [
    ("g1", "generaliste", 1958, "sA"),
    ("g2", "generaliste", 1990, "sC"),
    ("n1", "infirmier", 1959, "sB"),
    ("n2", "infirmier", 1992, "sC"),
    ("d1", "chirurgien_dentiste", 1957, "sB"),
    ("k1", "masseur_kinesitherapeute", 1960, "sA"),
]


def pole(people=PEOPLE, *, births: bool = True) -> Roster:
    prac = pd.DataFrame(
        {
            "practitioner_id": [p[0] for p in people],
            "profession": [p[1] for p in people],
            "birth_year": [p[2] if births else None for p in people],
            "activity": 4000.0,
            "site_id": [p[3] for p in people],
        }
    )
    return make_roster(prac, SITES, current_year=START)


def by_profession(roster: Roster | None = None, **kw: object) -> dict[str, wf.Outlook]:
    kw.setdefault("model", wf.RetirementModel(fixed_age=65))
    return wf.outlook_by_profession(
        roster or pole(),
        OD,
        DEMAND,
        start_year=START,
        horizon=5,
        **kw,  # type: ignore[arg-type]
    )


def test_one_outlook_per_profession_each_on_its_own_supply():
    outs = by_profession()
    assert list(outs) == [
        "chirurgien_dentiste",
        "generaliste",
        "infirmier",
        "masseur_kinesitherapeute",
    ]
    heads = {
        name: out.workforce.query("measure == 'headcount' and zone == 'territory'")
        .set_index("year")["value"]
        .to_dict()
        for name, out in outs.items()
    }
    assert heads["generaliste"][START] == 2
    assert heads["generaliste"][2026] == 1
    assert heads["infirmier"][START] == 2
    assert heads["chirurgien_dentiste"][2026] == 0
    assert all(out.profession == name for name, out in outs.items())
    # The nurses' outlook equals the outlook of a roster holding the nurses alone.
    alone = pole([p for p in PEOPLE if p[1] == "infirmier"])
    ref = wf.outlook(
        alone,
        OD,
        DEMAND,
        model=wf.RetirementModel(fixed_age=65),
        start_year=START,
        horizon=5,
        profession="infirmier",
    )
    for name in ("workforce", "access", "apl", "losses", "coverage", "retirement"):
        pd.testing.assert_frame_equal(getattr(outs["infirmier"], name), getattr(ref, name))


def test_profession_apl_by_hand():
    # Nurses in 2025: n1 at sB (4,000 acts), n2 at sC (4,000 acts), DREES GP decay by default.
    # sB reaches A at 25 min (weight 0), B at 3 (1), C at 28 (0): D_sB = 400.
    # sC reaches B at 29 (0), C at 2 (1): D_sC = 250.  APL_B = 4000/400, APL_C = 4000/250.
    out = by_profession(professions=["infirmier"])["infirmier"]
    apl = out.apl[out.apl["year"] == START].set_index("commune_code")["apl"]
    assert apl["19001"] == 0.0
    assert apl["19002"] == pytest.approx(4000 / 400)
    assert apl["19003"] == pytest.approx(4000 / 250)
    # In 2026 n1 has stopped: B keeps nothing within the decay horizon.
    late = out.apl[out.apl["year"] == 2026].set_index("commune_code")["apl"]
    assert late["19002"] == 0.0
    assert late["19003"] == pytest.approx(4000 / 250)


def test_communes_losing_two_or_more_professions():
    # Within 30 minutes, start -> 2030:
    #   GP: A loses (sA closes, sC 45 min), B keeps sC (29), C keeps sC.
    #   nurses: A loses (sB closes, sC 45), B and C keep sC.
    #   dentist: A, B, C all lose (d1 stops).  physio: A and B lose, C never had one (40 min).
    lost = wf.communes_losing_professions(by_profession())
    assert lost["commune_code"].tolist() == ["19001", "19002"]
    assert lost["n_professions"].tolist() == [4, 2]
    assert lost["professions"].tolist() == [
        "chirurgien_dentiste, generaliste, infirmier, masseur_kinesitherapeute",
        "chirurgien_dentiste, masseur_kinesitherapeute",
    ]
    assert (lost["year"] == 2030).all()
    assert (lost["p_min"] == 1.0).all()
    three = wf.communes_losing_professions(by_profession(), min_professions=3)
    assert three["commune_code"].tolist() == ["19001"]
    one = wf.communes_losing_professions(by_profession(), min_professions=1)
    assert one["commune_code"].tolist() == ["19001", "19002", "19003"]


def test_losses_follow_the_half_open_threshold_and_the_probabilities():
    # Within 20 minutes only the commune's own site counts: A loses GP and physio (sA), B loses
    # nurse and dentist (sB); C keeps its GP and nurse at sC and never had the others.
    lost20 = wf.communes_losing_professions(by_profession(), minutes=20)
    assert lost20.set_index("commune_code")["professions"].to_dict() == {
        "19001": "generaliste, masseur_kinesitherapeute",
        "19002": "chirurgien_dentiste, infirmier",
    }
    # With the age curve instead of a fixed age, losses are probabilities below 1.
    curve = by_profession(model=wf.RetirementModel())
    soft = wf.communes_losing_professions(curve, min_probability=1e-9)
    assert (soft["p_min"] > 0).all()
    assert (soft["p_min"] < 1).any()
    assert (soft["p_min"] <= 1).all()
    strict = wf.communes_losing_professions(curve, min_probability=0.999)
    assert len(strict) <= len(soft)
    # A scenario for one profession restores it: a nurse settling at sA in 2027.
    scenario = wf.Scenario(installations=(wf.Installation(site_id="sA", year=2027),))
    helped = wf.communes_losing_professions(by_profession(scenarios={"infirmier": scenario}))
    row = helped.set_index("commune_code").loc["19001"]
    assert row["n_professions"] == 3
    assert "infirmier" not in row["professions"]


def test_illustrative_ages_flag_every_profession():
    r = wf.illustrative_roster(pole(births=False), seed=3, current_year=START)
    outs = by_profession(r, model=wf.RetirementModel())
    for name, out in outs.items():
        assert out.illustrative_ages, name
        assert out.caveat is not None, name
        if name == DEFAULT_PROFESSION:
            assert out.caveat.code == "workforce.illustrative_ages"
        else:
            assert out.caveat.code == "workforce.illustrative_ages_profession"
            assert out.caveat.params["profession"] == name
            assert name in str(out.caveat)
        for table in ("workforce", "access", "apl", "losses", "retirement", "coverage"):
            assert (getattr(out, table)["ages_basis"] == wf.ILLUSTRATIVE).all(), (name, table)
    assert not any(o.illustrative_ages for o in by_profession().values())


def test_bad_profession_inputs():
    with pytest.raises(ValidationError, match="sage_femme"):
        by_profession(professions=["sage_femme"])
    outs = by_profession()
    short = wf.outlook(pole(), OD, DEMAND, start_year=START, horizon=3)
    with pytest.raises(ValidationError) as info:
        wf.communes_losing_professions({**outs, "other": short})
    assert info.value.code == "workforce.outlook_years_differ"
    with pytest.raises(ValidationError, match="15 minutes"):
        wf.communes_losing_professions(outs, minutes=15)
    empty = wf.communes_losing_professions({})
    assert empty.empty
    assert list(empty.columns) == [
        "commune_code", "zone", "n_professions", "professions", "p_min", "year",
    ]  # fmt: skip


def test_profession_outlook_monte_carlo_matches_expected_means():
    outs = by_profession(model=wf.RetirementModel(), professions=["infirmier"])
    mc = by_profession(
        model=wf.RetirementModel(), professions=["infirmier"], engine="monte_carlo", runs=2000
    )
    a = outs["infirmier"].coverage["p_beyond"].to_numpy()
    b = mc["infirmier"].coverage["p_beyond"].to_numpy()
    assert np.all(np.abs(a - b) <= 4 * np.sqrt(np.maximum(a * (1 - a), 1e-12) / 2000) + 1e-9)
    assert mc["infirmier"].runs == 2000
    assert mc["infirmier"].engine == "monte_carlo"


def test_a_profession_with_nobody_gives_an_empty_outlook():
    # No midwife on the roster: nobody practises, every commune is beyond 20 and 30 minutes.
    for kw in ({}, {"engine": "monte_carlo", "runs": 5}):
        out = wf.outlook(
            pole(), OD, DEMAND, start_year=START, horizon=3, profession="sage_femme", **kw
        )
        assert (out.workforce["value"] == 0).all()
        assert out.losses.empty
        assert (out.coverage["p_beyond"] == 1).all()
        beyond = out.access[out.access["measure"] == "pop_beyond_30"]
        assert beyond[beyond["zone"] == "territory"]["value"].eq(1650).all()
