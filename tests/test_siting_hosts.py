"""Host rules: which communes may host a new site (minimum population, premises, existing MSPs)."""

from __future__ import annotations

import pandas as pd
import pytest

from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.siting.hosts import eligible_candidates

COMMUNES = pd.DataFrame(
    {
        "code": ["19033", "19164", "23090", "23077", "23165"],
        "nom": ["Bugeat", "Peyrelevade", "Gentioux-Pigerolles", "Faux-la-Montagne", "Royère"],
        "population": [860, 780, 340, 420, 560],
    }
)


def eligible(table: pd.DataFrame) -> list[str]:
    return table.loc[table["eligible"], "code"].tolist()


def test_no_rule_keeps_every_commune():
    table = eligible_candidates(COMMUNES)
    assert eligible(table) == COMMUNES["code"].tolist()
    assert list(table.columns) == ["code", "nom", "population", "eligible", "raison"]
    unnamed = eligible_candidates(COMMUNES.drop(columns="nom"))
    assert unnamed["nom"].tolist() == COMMUNES["code"].tolist()  # names default to the codes


def test_minimum_population_is_inclusive():
    table = eligible_candidates(COMMUNES, min_population=560)
    assert eligible(table) == ["19033", "19164", "23165"]  # Royère has exactly 560
    reason = table.set_index("code").loc["23090", "raison"]
    assert reason == Message("siting.host_too_small", population=340, minimum=560)
    assert str(reason) == "340 habitants, moins de 560"


def test_premises_and_population_both_apply_existing_msps_always_count():
    table = eligible_candidates(
        COMMUNES, min_population=400, premises=["23090", "23077"], include_existing=["19164"]
    )
    # Gentioux has premises but 340 inhabitants; Faux has both; Peyrelevade has an MSP
    assert eligible(table) == ["19164", "23077"]
    reasons = table.set_index("code")["raison"]
    texts = reasons.map(str)
    assert texts["19164"] == "MSP existante"
    assert texts["23090"] == "340 habitants, moins de 400"
    assert texts["19033"] == "pas de locaux déclarés"
    assert texts["23077"] == "locaux disponibles"
    assert reasons["19164"].code == "siting.host_existing"
    # too small and no premises: both reasons
    assert str(eligible_candidates(COMMUNES, min_population=400, premises=[])
               .set_index("code").loc["23090", "raison"]) == (
        "340 habitants, moins de 400 ; pas de locaux déclarés"
    )  # fmt: skip
    assert str(eligible_candidates(COMMUNES).loc[0, "raison"]) == "aucune règle"
    assert str(eligible_candidates(COMMUNES, min_population=1).loc[0, "raison"]) == (
        "règles respectées"
    )
    only_premises = eligible_candidates(COMMUNES, premises=["23090"])
    assert eligible(only_premises) == ["23090"]


def test_bad_inputs_are_refused_with_the_field():
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, premises=["99999"])
    assert info.value.field == "premises"
    assert (info.value.code, info.value.params["codes"]) == (
        "siting.hosts_unknown_codes",
        ["99999"],
    )
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, include_existing=["00000"])
    assert info.value.field == "include_existing"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, min_population=-1)
    assert info.value.field == "min_population"
    assert info.value.code == "siting.hosts_min_population"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES.drop(columns="population"))
    assert info.value.field == "communes.population"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(pd.concat([COMMUNES, COMMUNES.iloc[:1]]))
    assert (info.value.code, info.value.params["codes"]) == (
        "siting.hosts_duplicate_codes",
        ["19033"],
    )
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES.assign(population=[1, 2, None, 4, 5]))
    assert (info.value.code, info.value.field) == (
        "siting.hosts_bad_population",
        "communes.population",
    )
    assert info.value.params["codes"] == ["23090"]
