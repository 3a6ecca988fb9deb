"""Registries are the only source of truth: a new entry reaches every path with no other change."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from accessmap import indicators, labels, siting
from accessmap import options as opt
from accessmap.diagnostic.steps import siting_by_key
from accessmap.errors import ValidationError
from accessmap.indicators.registry import (
    MEASURES,
    Measure,
    MeasureParameter,
    measures_help,
    registered_measure,
)
from accessmap.registries import registries_markdown
from accessmap.siting.registry import (
    MODELS,
    ModelSpec,
    models_help,
    register_model,
    registered_model,
    unregister_model,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "registries.md"
COMMUNES = ["19001", "19002", "19003", "19004"]
TIMES = [
    [0.0, 8.0, 16.0, 30.0],
    [8.0, 0.0, 9.0, 22.0],
    [16.0, 9.0, 0.0, 12.0],
    [30.0, 22.0, 12.0, 0.0],
]
POPULATION = [500.0, 300.0, 200.0, 800.0]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        (o, d, TIMES[i][j], "osm") for i, o in enumerate(COMMUNES) for j, d in enumerate(COMMUNES)
    ]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes", "method"])
    return od, pd.DataFrame({"id": COMMUNES, "population": POPULATION})


def _dummy_model(calls: list[dict[str, Any]]) -> ModelSpec:
    """A model answering like the MCLP under its own name; its answers become volunteer centres."""

    def best_cover(od: pd.DataFrame, demand: pd.DataFrame, **keywords: Any) -> siting.SitingResult:
        calls.append(keywords)
        return dataclasses.replace(siting.mclp(od, demand, **keywords), model="test_best_cover")

    mclp = siting.get_model("mclp")
    return ModelSpec(
        "test_best_cover", "meilleure couverture d'essai", "un modèle d'essai",
        best_cover, mclp.parameters, aliases=("test-cover",), option_kind="volunteer_centre",
        keeps_existing=False,
    )  # fmt: skip


def test_a_registered_model_runs_through_site_options_and_labels():
    od, demand = _tables()
    calls: list[dict[str, Any]] = []
    spec = _dummy_model(calls)
    with registered_model(spec):
        assert "test_best_cover" in MODELS
        assert siting.get_model("TEST-COVER") is spec
        result = siting.run("test-cover", od=od, demand=demand, p=1, minutes=10)
        assert result.objective == siting.mclp(od, demand, p=1, minutes=10).objective
        # options files dispatch on the registry: flags decide the fixed sites and the kind
        [option] = opt.options_from_spec(
            {"option": [{"name": "essai", "model": "test_best_cover", "p": 1, "minutes": 10}]},
            od=od,
            demand=demand,
            existing_sites=["19001"],
        )
        assert calls[-1]["fixed"] == []  # keeps_existing=False: today's sites not fixed
        assert option.kind == "volunteer_centre"
        assert option.new_sites == dict.fromkeys(result.sites, 1.0)
        assert opt.option_from_result(result).name == "test_best_cover p=1 T=10"
        assert labels.label("model", "test_best_cover") == "meilleure couverture d'essai"
        assert "test_best_cover (meilleure couverture d'essai)" in models_help()
        assert set(siting.describe_models()["model"]) == set(MODELS)
        assert list(siting_by_key([result])) == ["test_best_cover"]  # not an MSP: no number
    assert "test_best_cover" not in MODELS
    with pytest.raises(ValidationError) as info:
        siting.run("test_best_cover", od=od, demand=demand, p=1)
    assert info.value.field == "model"


def test_model_flags_replace_the_name_tests():
    mclp, lscp = siting.get_model("mclp"), siting.get_model("lscp")
    volunteer, rota = siting.get_model("volunteer"), siting.get_model("rotation")
    assert (mclp.needs_p, lscp.needs_p, rota.needs_p) == (True, False, False)
    assert (mclp.has_threshold, siting.get_model("p_median").has_threshold) == (True, False)
    assert [s.name for s in siting.registry.models() if s.option_kind == "msp"] == [
        "mclp", "lscp", "p_median", "p_center", "apl_recruits", "apl_best_use", "apl_robust",
    ]  # fmt: skip
    assert volunteer.unserved_demand
    assert volunteer.keeps_existing
    assert rota.fte_from_days
    assert not rota.keeps_existing
    assert (volunteer.option_kind, rota.option_kind) == ("volunteer_centre", "rotation")


def test_model_names_and_aliases_cannot_be_taken_twice():
    spec = _dummy_model([])
    with pytest.raises(ValueError, match="mclp"):
        register_model(dataclasses.replace(spec, name="mclp"))
    with pytest.raises(ValueError, match="median"):
        register_model(dataclasses.replace(spec, aliases=("median",)))
    register_model(spec)
    try:
        with pytest.raises(ValueError, match="test_best_cover"):
            register_model(spec)
        register_model(spec, replace=True)
    finally:
        unregister_model("test_best_cover")
    assert "test_best_cover" not in MODELS


def _dummy_measure() -> Measure:
    """Supply within ``cutoff`` minutes, a cumulative measure registered under its own name."""

    def supply_within(
        od: pd.DataFrame, demand: pd.DataFrame, supply: pd.DataFrame, o: Any
    ) -> pd.Series:
        joined = od.merge(supply, left_on="dest_id", right_on="site_id")
        near = joined[joined["minutes"] < o["cutoff"]]
        total = near.groupby("origin_id")["capacity"].sum()
        return total.reindex(demand["id"], fill_value=0.0)

    return Measure(
        "test_within", "offre proche d'essai", "une mesure d'essai", "médecins",
        higher_is_better=True, function=indicators.cumulative_cutoff,
        parameters=(MeasureParameter("cutoff", 10.0, "seuil d'essai", "min"),),
        runner=supply_within,
    )  # fmt: skip


def test_a_registered_measure_runs_through_indicators_and_labels():
    od, demand = _tables()
    supply = pd.DataFrame({"site_id": ["19001", "19004"], "capacity": [2.0, 1.0]})
    with registered_measure(_dummy_measure()):
        assert MEASURES["test_within"].defaults == {"cutoff": 10.0}
        out = indicators.compute_measure("test_within", od, demand=demand, supply=supply)
        assert out["value"].tolist() == [2.0, 2.0, 0.0, 1.0]  # 19003: 16 and 12 min away
        wide = indicators.compute_measure(
            "test_within", od, demand=demand, supply=supply, cutoff=20
        )
        assert wide["value"].tolist() == [2.0, 2.0, 3.0, 1.0]
        with pytest.raises(ValidationError) as info:
            indicators.compute_measure("test_within", od, demand=demand, supply=supply, tau=3)
        assert info.value.field == "options"
        assert labels.label("accessibility", "test_within") == "offre proche d'essai"
        assert "test_within (offre proche d'essai)" in measures_help()
    assert "test_within" not in MEASURES
    with pytest.raises(ValidationError):
        indicators.compute_measure("test_within", od, demand=demand, supply=supply)


def test_committed_registries_page_is_what_the_registries_produce():
    assert DOC.read_text(encoding="utf-8") == registries_markdown(), (
        "docs/registries.md is stale: run python -m accessmap.registries docs/registries.md"
    )


def test_registries_page_follows_a_new_entry():
    before = registries_markdown()
    with registered_model(_dummy_model([])), registered_measure(_dummy_measure()):
        during = registries_markdown()
    assert during != before
    assert "`test_best_cover` | meilleure couverture d'essai" in during
    assert "`test_within` | `cutoff` | 10 | min | seuil d'essai" in during
    assert registries_markdown() == before
