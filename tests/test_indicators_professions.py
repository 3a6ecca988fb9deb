"""Per-profession parameters and indicators on a hand-built 3-commune case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from accessmap import indicators as ind
from accessmap.errors import ValidationError
from accessmap.supply import make_roster

# Communes A, B, C (standardised population 1,000, 2,000, 500); sites sA (in A), sB (in B).
#   A-sA 2 min (w 1)    B-sA 12 min (w 2/3)   C-sA 17 min (w 1/3)
#   A-sB 12 min (w 2/3) B-sB 3 min (w 1)      C-sB 25 min (w 0)
# Nurses: n1 at sA, activity unknown, 1 FTE; n2 at sB, 0.5 FTE measured; n3 at sB, new: 1 FTE.
# A GP at sA with 5,000 acts; a pharmacy at sB.
#   D_A = 1,000 + 2,000 x 2/3 + 500 / 3 = 2,500      R_A = 1 / 2,500
#   D_B = 1,000 x 2/3 + 2,000            = 2,666.67   R_B = 1.5 / 2,666.67
#   nurses APL x 100,000: A = 1e5 (R_A + 2/3 R_B) = 77.5, B = 1e5 (2/3 R_A + R_B) = 82.9167,
#   C = 1e5 R_A / 3 = 13.3333;  GP APL: A = 2, B = 4/3, C = 2/3.


@pytest.fixture
def case():
    od = pd.DataFrame(
        {
            "origin_id": ["19001", "19001", "19002", "19002", "19003", "19003"],
            "dest_id": ["sA", "sB", "sA", "sB", "sA", "sB"],
            "minutes": [2.0, 12.0, 12.0, 3.0, 17.0, 25.0],
            "method": "osm",
        }
    )
    communes = pd.DataFrame(
        {
            "id": ["19001", "19002", "19003"],
            "population": [900, 2100, 450],
            "pop_std": [1000.0, 2000.0, 500.0],
        }
    )
    practitioners = pd.DataFrame(
        {
            "practitioner_id": ["n1", "n2", "n3", "g1", "p1"],
            "profession": ["infirmier", "infirmier", "infirmier", "generaliste", "pharmacie"],
            "activity": [np.nan, 0.5, np.nan, 5000.0, np.nan],
            "fte": [1.0, 1.0, 1.0, 1.0, 1.0],
            "new_install": [False, False, True, False, False],
        }
    )
    sites = pd.DataFrame(
        {"site_id": ["sA", "sB"], "commune_code": ["19001", "19002"], "lon": [2.0, 2.1],
         "lat": [45.6, 45.7]}
    )  # fmt: skip
    assignments = pd.DataFrame(
        {"practitioner_id": ["n1", "n2", "n3", "g1", "p1"],
         "site_id": ["sA", "sB", "sB", "sA", "sB"], "share": 1.0}
    )  # fmt: skip
    return od, communes, make_roster(practitioners, sites, assignments, current_year=2026)


def test_nurses_in_fte_per_100000_by_hand(case):
    od, communes, roster = case
    got = ind.profession_indicators(od, communes=communes, roster=roster, profession="infirmier")
    np.testing.assert_allclose(got["value"], [77.5, 82.916666666666, 13.333333333333], rtol=1e-9)
    assert got["nearest_minutes"].tolist() == [2.0, 3.0, 17.0]
    assert got["band"].tolist() == ["0-10", "0-10", "10-20"]
    # every FTE reached is given back: sum_i P_i APL_i / 1e5 = 2.5 FTE
    assert float((got["value"] * communes["pop_std"]).sum() / 1e5) == pytest.approx(2.5)


def test_gp_supply_stays_separate_and_uses_drees_acts(case):
    od, communes, roster = case
    got = ind.profession_indicators(od, communes=communes, roster=roster, profession="generaliste")
    np.testing.assert_allclose(got["value"], [2.0, 4 / 3, 2 / 3])
    assert got["nearest_minutes"].tolist() == [2.0, 12.0, 17.0]


def test_pharmacies_are_nearest_time_and_absent_professions_are_unreachable(case):
    od, communes, roster = case
    pharma = ind.profession_indicators(od, communes=communes, roster=roster, profession="pharmacie")
    assert pharma["value"].tolist() == [12.0, 3.0, 25.0]
    kine = ind.profession_indicators(
        od, communes=communes, roster=roster, profession="masseur_kinesitherapeute"
    )
    assert kine["value"].tolist() == [0.0, 0.0, 0.0]
    assert all(math.isinf(m) for m in kine["nearest_minutes"])
    assert set(kine["band"]) == {"unreachable"}
    with pytest.raises(ValidationError) as info:
        ind.profession_indicators(od, communes=communes, roster=roster, profession="vet")
    assert info.value.field == "profession"


def test_parameter_table_documents_sources_and_choices():
    assert [p.bpe_code for p in ind.PROFESSIONS.values()] == [
        "D201", "D232", "D233", "D231", "D221", "D301",
    ]  # fmt: skip
    for prof in ind.PROFESSIONS.values():
        assert prof.label
        assert prof.unit
        if prof.key != "generaliste":
            assert prof.choices, prof.key  # every undocumented DREES rule says what we chose
    nurse = ind.profession_parameters("infirmier")
    assert nurse.scale == 100_000
    assert nurse.params is not None
    assert ind.counted_activity(
        pd.DataFrame({"practitioner_id": ["x"], "activity": [1.7], "fte": [1.0]}),
        params=nurse.params,
    ).tolist() == [1.7]  # no cap on FTE
    assert ind.profession_parameters("pharmacie").params is None


def test_fte_from_activity():
    fte = ind.fte_from_activity([9000.0, 4500.0, np.nan, 100.0], median=9000.0,
                                new_install=[False, False, True, False])  # fmt: skip
    assert fte.tolist() == [1.0, 0.5, 1.0, pytest.approx(100 / 9000)]
    with pytest.raises(ValidationError) as info:
        ind.fte_from_activity([1.0], median=0.0)
    assert info.value.field == "median"
