"""DREES comparison (Spearman, mean absolute difference, largest gaps), the closed-form calibration
of unknown GP activity, and the ZRR branch of the decree 2003-1140 test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from accessmap import indicators as ind
from accessmap.errors import ValidationError
from accessmap.supply import make_roster

# --- comparison -----------------------------------------------------------------------------


def published(values: dict[str, float], pop_std: dict[str, float], year: int = 2023):
    return pd.DataFrame(
        {
            "code": list(values),
            "year": year,
            "apl": list(values.values()),
            "apl_u65": list(values.values()),
            "pop_std": [pop_std[c] for c in values],
        }
    )


def test_comparison_reports_mad_means_and_largest_gaps():
    ours = pd.DataFrame({"id": ["1", "2", "3"], "nom": ["Aa", "Bb", "Cc"], "apl": [2.0, 4.0, 1.0]})
    pub = published({"1": 3.0, "2": 3.5, "3": 1.0}, {"1": 100.0, "2": 300.0, "3": 100.0})
    cmp = ind.compare_with_drees(ours, pub, top=2)
    assert cmp.mean_abs_diff == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert math.isnan(cmp.mean_abs_diff_u65)  # no modelled under-65 APL given
    assert cmp.apl_drees_mean == pytest.approx((300 + 1050 + 100) / 500)
    assert cmp.apl_mean == pytest.approx((200 + 1200 + 100) / 500)
    assert cmp.largest.columns[:5].tolist() == ["id", "nom", "apl", "apl_drees", "diff"]
    assert cmp.largest["nom"].tolist() == ["Aa", "Bb"]
    assert cmp.largest["diff"].tolist() == [-1.0, 0.5]
    assert cmp.spearman == pytest.approx(1.0)


# --- calibration: a 3-commune case computed by hand ---------------------------------------
#
# X, Y, Z (standardised population 1,000, 2,000, 1,000). S1 holds a GP of measured activity
# 4,000 acts; S2 a full-time GP of unknown activity a.
#   X-S1 5 min (w 1)    Y-S1 12 min (w 2/3)    Z-S1 30 min (w 0)
#   X-S2 25 min (w 0)   Y-S2 5 min (w 1)       Z-S2 17 min (w 1/3)
# Every site is reached, so sum_i P_i APL_i = 4,000 + a and the standardised-population mean APL
# is (4,000 + a) / 4,000. Published APL 3, 2.5, 1 gives a mean of (3,000 + 5,000 + 1,000) / 4,000
# = 2.25, hence a* = (2.25 - 1) x 4,000 = 5,000 acts.


@pytest.fixture
def three_communes():
    od = pd.DataFrame(
        {
            "origin_id": ["X", "X", "Y", "Y", "Z", "Z"],
            "dest_id": ["S1", "S2", "S1", "S2", "S1", "S2"],
            "minutes": [5.0, 25.0, 12.0, 5.0, 30.0, 17.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame(
        {"id": ["X", "Y", "Z"], "population": [900, 2100, 950], "pop_std": [1000.0, 2000.0, 1000.0]}
    )
    roster = make_roster(
        pd.DataFrame(
            {
                "practitioner_id": ["known", "unknown"],
                "activity": [4000.0, np.nan],
                "fte": [1.0, 1.0],
            }
        ),
        pd.DataFrame(
            {
                "site_id": ["S1", "S2"],
                "commune_code": ["19033", "19164"],
                "lon": [2.0, 2.1],
                "lat": [45.6, 45.7],
            }
        ),
        pd.DataFrame(
            {"practitioner_id": ["known", "unknown"], "site_id": ["S1", "S2"], "share": 1.0}
        ),
        current_year=2026,
    )
    pub = published({"X": 3.0, "Y": 2.5, "Z": 1.0}, {"X": 1000.0, "Y": 2000.0, "Z": 1000.0})
    return od, demand, roster, pub


def test_calibration_closed_form_by_hand(three_communes):
    od, demand, roster, pub = three_communes
    fit = ind.calibrate_activity(od, demand=demand, roster=roster, published=pub)
    assert fit.acts_per_fte == pytest.approx(5000.0, abs=1e-9)
    assert fit.target == pytest.approx(2.25)
    assert fit.mean_before == pytest.approx((4000 + 5400) / 4000)
    assert fit.mean_after == pytest.approx(2.25)
    assert fit.n == 3
    assert fit.default_acts_per_fte == 5400.0
    # the calibrated level, fed back into the APL, gives the published mean
    sites = ind.site_activity(roster, acts_per_fte=fit.acts_per_fte)[["site_id", "acts"]]
    model = ind.apl(od, demand=demand[["id", "pop_std"]], supply=sites)
    assert ind.territory_apl(model, demand=demand) == pytest.approx(2.25)
    got = model.set_index("id")["apl"]
    expected_mad = np.mean(np.abs(got.to_numpy() - [3.0, 2.5, 1.0]))
    assert fit.mad_after == pytest.approx(expected_mad)
    frame = fit.to_frame()
    assert frame.loc["after", "acts_per_fte"] == pytest.approx(5000.0)


def test_calibration_uses_only_the_communes_given_and_clips_at_zero(three_communes):
    od, demand, roster, pub = three_communes
    # over Z alone: APL_Z = a * (1/3) / (2,000 + 1,000/3) = 1  =>  a = 7,000
    only_z = ind.calibrate_activity(od, demand=demand, roster=roster, published=pub, ids=["Z"])
    assert only_z.acts_per_fte == pytest.approx(7000.0)
    assert only_z.n == 1
    low = pub.assign(apl=[0.1, 0.1, 0.1])
    clipped = ind.calibrate_activity(od, demand=demand, roster=roster, published=low)
    assert clipped.acts_per_fte == 0.0
    (note,) = clipped.notes
    assert note.code == "drees.level_clipped"
    assert note.params["target"] == pytest.approx(0.1)
    assert note.params["mean"] > note.params["target"]
    assert "mise à 0" in str(note)
    with pytest.raises(ValidationError) as info:
        ind.calibrate_activity(od, demand=demand, roster=roster, published=pub, ids=["nowhere"])
    assert (info.value.field, info.value.code) == ("ids", "drees.nothing_to_calibrate_on")
    known = roster.practitioners.assign(activity=4000.0)
    full = make_roster(known, roster.sites, roster.assignments, current_year=2026)
    with pytest.raises(ValidationError) as info:
        ind.calibrate_activity(od, demand=demand, roster=full, published=pub)
    assert (info.value.field, info.value.code) == ("roster", "drees.no_unknown_activity_reached")


# --- ZRR branch of criterion 4 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected", "status"),
    [
        ({"a": True, "b": False}, False, "unknown"),  # 1,000 of 6,000 in ZRR; other parts unknown
        ({"a": False, "b": True}, True, "met"),
        ({"a": True}, None, "unknown"),  # b (5,000) missing: could go either way
        ({"b": False}, False, "unknown"),  # 5,000 of 6,000 known outside: cannot reach half
    ],
)
def test_zone_deficitaire_uses_a_zrr_table(table, expected, status):
    communes = pd.DataFrame({"id": ["a", "b"], "population": [1000, 5000]})
    flag, detail = ind.zrr_status(table, communes=communes)
    assert flag is expected
    population = {"a": 1000, "b": 5000}
    assert detail.code == "zoning.zrr_population"
    assert dict(detail.params) == {
        "inside": sum(population[k] for k, v in table.items() if v),
        "total": 6000,
        "unknown": sum(n for k, n in population.items() if k not in table),
    }
    assert "habitants" in str(detail)
    zone = ind.zone_deficitaire(population=6000, commune_population=communes, zrr_table=table)
    assert zone.criteria[3].status == status
    assert zone.criteria[3].detail.code == "zoning.age_social_zrr_with"
    assert zone.criteria[3].detail.params["zrr_detail"] == detail
    assert "communes en ZRR" in str(zone.criteria[3].detail)
    as_frame = pd.DataFrame({"code": list(table), "zrr": list(table.values())})
    assert ind.zrr_status(as_frame, communes=communes)[0] is expected


def test_explicit_zrr_wins_and_table_needs_communes():
    zone = ind.zone_deficitaire(population=6000, zrr=True, zrr_table={"a": False})
    assert zone.criteria[3].status == "met"
    with pytest.raises(ValidationError) as info:
        ind.zone_deficitaire(population=6000, zrr_table={"a": True})
    assert (info.value.field, info.value.code) == (
        "commune_population",
        "zoning.zrr_needs_communes",
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"gp_fte": 2.0, "gp_activity": [8000, np.nan], "share_over_75": 0.123},
        {"gp_fte": 4.0, "gp_activity": [8000, 9000], "social_above_average": False, "zrr": True},
        {"zrr_table": {"a": True, "b": float("nan")}},
    ],
)
def test_criteria_read_as_french_sentences_with_their_figures(kwargs):
    communes = pd.DataFrame({"id": ["a", "b"], "population": [1000, 5000]})
    nearest = pd.DataFrame({"id": ["a", "b"], "minutes": [12.0, 41.0]})
    zone = ind.zone_deficitaire(
        population=6000, nearest=nearest, commune_population=communes, **kwargs
    )
    frame = zone.to_frame()
    for criterion, (label, detail) in zip(
        zone.criteria, frame[["label", "detail"]].itertuples(index=False), strict=True
    ):
        assert (str(criterion.label), str(criterion.detail)) == (label, detail)
        for text in (label, detail):
            assert "{" not in text
            assert not {"unknown", "True", "False", "None", "GP", "inhabitants"} & set(
                text.replace("(", " ").replace(")", " ").split()
            )
    beyond = zone.criteria[0].detail
    assert (beyond.code, beyond.params["population"]) == ("zoning.beyond_40", 5000)
    assert "5\u202f000 habitants (83,3\u202f%)" in frame["detail"].iloc[0]


def test_report_puts_the_territory_agreement_beside_the_departments() -> None:
    """Issue 22: the departments' rank agreement follows the territory's, in one sentence.

    The report's paragraph gives the territory's figure; this sentence adds its departments'
    (no tool word: « Spearman » is for the methods annex), and nothing when the departments
    are the territory.
    """
    from types import SimpleNamespace

    from accessmap.report.html import _agreement_text

    d = SimpleNamespace(
        calibration=SimpleNamespace(n=727, spearman_after=0.5123),
        drees=SimpleNamespace(n=97, spearman=0.3214),
    )
    text = _agreement_text(d)  # type: ignore[arg-type]
    assert text.startswith("Sur les 727 communes de ses départements, le même accord vaut 0,51")
    assert "Spearman" not in text
    no_fit = SimpleNamespace(calibration=None, drees=d.drees)
    assert _agreement_text(no_fit) == ""  # type: ignore[arg-type]
    itself = SimpleNamespace(calibration=d.calibration, drees=SimpleNamespace(n=727, spearman=0.51))
    assert _agreement_text(itself) == ""  # type: ignore[arg-type]
