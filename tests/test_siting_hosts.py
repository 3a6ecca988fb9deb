"""Host rules: which communes may host a new site (minimum population, premises, existing MSPs)."""

from __future__ import annotations

import pandas as pd
import pytest

from accessmap.errors import ValidationError
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
    assert reason == "340 habitants, moins de 560"


def test_premises_and_population_both_apply_existing_msps_always_count():
    table = eligible_candidates(
        COMMUNES, min_population=400, premises=["23090", "23077"], include_existing=["19164"]
    )
    # Gentioux has premises but 340 inhabitants; Faux has both; Peyrelevade has an MSP
    assert eligible(table) == ["19164", "23077"]
    reasons = table.set_index("code")["raison"]
    assert reasons["19164"] == "MSP existante"
    assert reasons["23090"] == "340 habitants, moins de 400"
    assert reasons["19033"] == "pas de locaux déclarés"
    assert reasons["23077"] == "locaux disponibles"
    only_premises = eligible_candidates(COMMUNES, premises=["23090"])
    assert eligible(only_premises) == ["23090"]


def test_bad_inputs_are_refused_with_the_field():
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, premises=["99999"])
    assert info.value.field == "premises"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, include_existing=["00000"])
    assert info.value.field == "include_existing"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES, min_population=-1)
    assert info.value.field == "min_population"
    with pytest.raises(ValidationError) as info:
        eligible_candidates(COMMUNES.drop(columns="population"))
    assert info.value.field == "communes.population"
    with pytest.raises(ValidationError, match="duplicate"):
        eligible_candidates(pd.concat([COMMUNES, COMMUNES.iloc[:1]]))
    with pytest.raises(ValidationError, match="population"):
        eligible_candidates(COMMUNES.assign(population=[1, 2, None, 4, 5]))
