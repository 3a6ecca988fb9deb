"""p-median and p-center never fail on communes out of reach: they leave them out and name them."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from accessmap import siting
from accessmap.errors import ValidationError
from accessmap.messages import AccessmapWarning
from tests.test_siting import make_instance, matrix, nearest, site_ids
from tests.test_siting_solver import plane

MODELS = ("p_median", "p_center")


def _one_commune_unreached() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``b`` has no pair at all (no site reaches it); ``a`` and ``c`` are reached."""
    od = pd.DataFrame(
        {
            "origin_id": ["a", "b", "c", "a"],
            "dest_id": ["x", "y", "z", "z"],
            "minutes": [5.0, np.inf, 3.0, 9.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["a", "b", "c"], "population": [1.0, 2.0, 4.0]})
    return od, demand


@pytest.mark.parametrize("method", ["exact", "greedy"])
@pytest.mark.parametrize("model", MODELS)
def test_a_commune_no_site_reaches_is_left_out_and_named(model, method):
    od, demand = _one_commune_unreached()
    with pytest.warns(AccessmapWarning, match=r"1 commune\(s\) habitée\(s\) \(2 habitants\)"):
        result = siting.run(model, od=od, demand=demand, p=1, method=method)
    assert result.unreached is not None
    assert result.unreached.to_dict("records") == [{"id": "b", "weight": 2.0, "reason": "no_site"}]
    # the objective is over the reached communes only: z serves a (9 min) and c (3 min)
    assert result.sites == ("z",)
    expected = 1.0 * 9.0 + 4.0 * 3.0 if model == "p_median" else 9.0
    assert result.objective == pytest.approx(expected)
    assert any("leur accès n'est pas optimisé (b)" in str(n) for n in result.notes)
    # the assignment keeps the commune, with its own population and no site
    row = result.assignment.set_index("id").loc["b"]
    assert row["weight"] == 2.0
    assert math.isinf(row["minutes"])


def test_nothing_reachable_is_a_clear_error():
    od = pd.DataFrame({"origin_id": ["a"], "dest_id": ["x"], "minutes": [np.inf]})
    demand = pd.DataFrame({"id": ["a", "b"], "population": [1.0, 2.0]})
    for model in MODELS:
        with pytest.raises(ValidationError) as info:
            siting.run(model, od=od, demand=demand, p=1)
        assert info.value.code == "siting.nothing_reachable"
        assert "aucune des 2 commune(s)" in info.value.message


def test_an_answer_reaching_everyone_names_nobody():
    od, demand = make_instance(3, drop=0.0)
    for model in MODELS:
        result = siting.run(model, od=od, demand=demand, p=2)
        assert result.unreached is not None
        assert result.unreached.empty
        assert not any("hors de portée" in str(n) for n in result.notes)
    assert siting.mclp(od, demand, p=2, minutes=12.0).unreached is None


def _lexicographic(model: str, d: np.ndarray, w: np.ndarray, p: int) -> tuple[float, float]:
    """Most population reached by p sites, then the best objective over what they reach."""
    best: tuple[float, float] = (-1.0, math.inf)
    for combo in itertools.combinations(range(d.shape[1]), p):
        t = nearest(d, combo)
        reached = np.isfinite(t)
        value = float((w * t)[reached].sum()) if model == "p_median" else float(t[reached].max())
        key = (float(w[reached].sum()), -value)
        if key > (best[0], -best[1]):
            best = (key[0], value)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("model", MODELS)
def test_p_sites_that_cannot_reach_everyone_reach_the_most_then_optimise(model, seed):
    """A sparse table (most pairs missing): 2 sites cannot reach every commune."""
    od, demand = make_instance(seed, n_demand=10, n_sites=7, drop=0.75)
    sites = site_ids(od)
    d, w = matrix(od, demand, sites), demand["population"].to_numpy()
    reached_weight, value = _lexicographic(model, d, w, 2)
    if reached_weight == w.sum():
        pytest.skip("two sites reach every commune of this draw")
    with pytest.warns(AccessmapWarning, match="hors de portée de 2 nouveau"):
        result = siting.run(model, od=od, demand=demand, p=2)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(value, rel=1e-9)
    assert result.unreached is not None
    assert set(result.unreached["reason"]) == {"beyond_p"}
    assert result.unreached["weight"].sum() == pytest.approx(w.sum() - reached_weight)
    # the communes named are exactly those the chosen sites do not reach
    chosen = tuple(sites.index(s) for s in result.sites)
    out = set(demand["id"][~np.isfinite(nearest(d, chosen))])
    assert set(result.unreached["id"]) == out


@pytest.mark.parametrize("model", MODELS)
def test_a_tiny_time_limit_still_answers_with_its_gap(model):
    """The deadline has passed before HiGHS starts: the greedy incumbent and a finite gap."""
    od, demand = plane()
    result = siting.run(model, od=od, demand=demand, p=6, time_limit=1e-9)
    assert result.status == "time_limit"
    assert len(result.sites) == 6
    assert math.isfinite(result.objective)
    assert math.isfinite(result.bound)
    assert result.bound <= result.objective
    assert 0.0 < result.gap < 1.0


@pytest.mark.parametrize("model", MODELS)
def test_a_tiny_time_limit_with_communes_out_of_reach_still_answers(model):
    od, demand = plane(n=120, m=30)
    far = od["minutes"] < 25.0  # a sparse table: 2 sites cannot reach every commune
    with pytest.warns(AccessmapWarning):
        result = siting.run(model, od=od[far], demand=demand, p=2, time_limit=1e-9)
    assert result.status in ("time_limit", "optimal")
    assert result.unreached is not None
    assert len(result.unreached) > 0
    assert math.isfinite(result.objective)


# --- where the answer is read ------------------------------------------------------------------


def _left_out_answer():
    od, demand = _one_commune_unreached()
    with pytest.warns(AccessmapWarning):
        return siting.p_median(od, demand, p=1)


def test_the_cli_names_the_communes_left_out(capsys):
    from accessmap.cli.siting import _print_unreached

    result = _left_out_answer()
    _print_unreached(result.unreached, {"b": "Bort-les-Orgues"}, p=1)
    out = capsys.readouterr().out
    assert "qu'aucun site n'atteint (accès non optimisé) : 1 commune(s), 2 habitants" in out
    assert "Bort-les-Orgues (b)" in out
    _print_unreached(None, {}, p=1)
    assert capsys.readouterr().out == ""


def test_the_report_siting_table_names_the_communes_left_out():
    from accessmap.report import siting_frame

    od, demand = make_instance(3, drop=0.0)
    plain = siting.mclp(od, demand, p=1, minutes=12.0)
    names = pd.Series({"b": "Bort-les-Orgues"})
    assert len(siting_frame([plain], names).columns) == 6  # unchanged when nobody is left out
    frame = siting_frame(iter([plain, _left_out_answer()]), names)
    column = "communes laissées de côté (accès non optimisé)"
    assert frame[column].tolist() == ["—", "1 : Bort-les-Orgues"]
