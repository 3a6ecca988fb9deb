"""The HiGHS layer and the registry of models: checked answers, time limits, silence, parameters."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from accessmap import settings, siting
from accessmap.conventions import SITING_MINUTES, WEEKS_PER_FTE
from accessmap.errors import ValidationError
from accessmap.siting import _highs
from tests.test_siting import make_instance


def plane(n: int = 300, m: int = 80, seed: int = 5):
    """A larger Euclidean instance (HiGHS needs real work on it)."""
    rng = np.random.default_rng(seed)
    d, s = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    c = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    od = pd.DataFrame(
        {
            "origin_id": np.repeat([f"d{i}" for i in range(n)], m),
            "dest_id": np.tile([f"s{j}" for j in range(m)], n),
            "minutes": c.ravel(),
        }
    )
    demand = pd.DataFrame(
        {"id": [f"d{i}" for i in range(n)], "population": rng.integers(10, 1000, n) * 1.0}
    )
    return od, demand


MODEL_CALLS = {
    "mclp": {"p": 6, "minutes": 12.0},
    "lscp": {"minutes": 30.0},
    "p_median": {"p": 6},
    "p_center": {"p": 6},
    "volunteer_centres": {"p": 4, "minutes": 12.0},
    "rotation": {"team": 15.0, "minutes": 12.0},
}


# --- answers checked against the model -------------------------------------------------------


def test_a_warm_start_handed_back_as_the_optimum_is_caught_and_resolved(monkeypatch):
    """Simulate HiGHS 1.16 (issue 16): the start comes back with the optimum's objective."""
    od, demand = make_instance(20, n_demand=12, n_sites=9, drop=0.2)
    honest = siting.mclp(od, demand, p=2, minutes=10.0)
    assert honest.heuristic_gap > 0  # the greedy start is not optimal here
    real = _highs.run_highs

    def lying(mip, *, options, deadline, start, settings=None):
        run = real(mip, options=options, deadline=deadline, start=None, settings=settings)
        if start is not None and run.x is not None:
            return dataclasses.replace(run, x=np.asarray(start, dtype=np.float64))
        return run

    monkeypatch.setattr(_highs, "run_highs", lying)
    monkeypatch.setattr(_highs, "_relaxation", lambda *_a, **_k: None)  # force the MIP path
    result = siting.mclp(od, demand, p=2, minutes=10.0)
    assert result.status == "optimal"
    assert result.objective == honest.objective
    assert result.sites == honest.sites
    assert any(n.code == "siting.note_solved_again" for n in result.notes)
    assert any("recalculé sans ce point de départ" in str(n) for n in result.notes)
    # without a warm start there is nothing to hand back
    cold = siting.mclp(od, demand, p=2, minutes=10.0, solver=siting.SolverOptions(warm_start=False))
    assert cold.notes == ()
    assert cold.objective == honest.objective


def test_an_unproven_answer_is_never_labelled_optimal(monkeypatch):
    od, demand = make_instance(20, n_demand=12, n_sites=9, drop=0.2)
    real = _highs.run_highs

    def inflated(mip, *, options, deadline, start, settings=None):
        run = real(mip, options=options, deadline=deadline, start=start, settings=settings)
        return dataclasses.replace(run, objective=run.objective + 1000.0)

    monkeypatch.setattr(_highs, "run_highs", inflated)
    monkeypatch.setattr(_highs, "_relaxation", lambda *_a, **_k: None)
    result = siting.mclp(od, demand, p=2, minutes=10.0)
    assert result.status == "unverified"
    assert any(n.code == "siting.note_unproven" for n in result.notes)
    assert any("sans preuve d'optimalité" in str(n) for n in result.notes)


# --- time limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("warm", [True, False])
@pytest.mark.parametrize("model", sorted(MODEL_CALLS))
def test_a_time_limit_returns_the_incumbent_never_an_exception(model, warm):
    """A limit far below the model-building time: HiGHS gets 0 s and stops at once.

    Deterministic: the deadline has passed before HiGHS starts, whatever the machine's speed.
    """
    od, demand = plane()
    greedy = siting.run(model, od=od, demand=demand, method="greedy", **MODEL_CALLS[model])
    result = siting.run(
        model, od=od, demand=demand, time_limit=1e-9, warm_start=warm, **MODEL_CALLS[model]
    )
    assert result.status == "time_limit"
    assert result.sites == greedy.sites
    assert result.objective == pytest.approx(greedy.objective)
    assert not result.optimal


@pytest.mark.parametrize("model", sorted(MODEL_CALLS))
def test_the_settings_cap_cuts_a_model_s_own_limit_short(model):
    """``solver_time_cap`` ends every HiGHS run at once here: each model answers its greedy plan."""
    od, demand = plane()
    greedy = siting.run(model, od=od, demand=demand, method="greedy", **MODEL_CALLS[model])
    with settings.override(solver_time_cap=1e-9):
        capped = siting.run(model, od=od, demand=demand, time_limit=60, **MODEL_CALLS[model])
    assert capped.status == "time_limit"
    assert capped.sites == greedy.sites
    free = siting.run(model, od=od, demand=demand, time_limit=60, **MODEL_CALLS[model])
    assert free.status == "optimal"


def test_time_limit_counts_the_cumulative_clock_of_a_reused_solver(monkeypatch):
    """p-median reuses one HiGHS object over its LP rounds: each round gets the time left.

    HiGHS compares ``time_limit`` with the object's cumulative run time (HiGHS #1331, #1477);
    a limit of "time left" alone would stop the second round at once.
    """
    seen: list[tuple[float, float]] = []
    real = siting.p_median.__globals__["new_highs"]

    def spying(options, deadline):
        h = real(options, deadline)
        set_option = h.setOptionValue

        def record(name, value):
            if name == "time_limit":
                seen.append((float(value), float(h.getRunTime())))
            return set_option(name, value)

        h.setOptionValue = record
        return h

    monkeypatch.setitem(siting.p_median.__globals__, "new_highs", spying)
    od, demand = plane(n=200, m=60, seed=3)
    result = siting.p_median(od, demand, p=5, solver=siting.SolverOptions(time_limit=120))
    assert result.status == "optimal"
    rounds = seen[1:]  # the first is the object's creation
    assert len(rounds) >= 2  # several LP rounds on this instance
    for limit, used in rounds:
        assert limit > used + 60  # the time left is on top of the time already used


def test_solver_options_are_validated():
    with pytest.raises(ValidationError) as info:
        siting.SolverOptions(node_limit=-1)
    assert (info.value.code, info.value.field) == ("siting.count_invalid", "node_limit")
    with pytest.raises(ValidationError) as info:
        siting.SolverOptions(threads=0)
    assert (info.value.code, info.value.field) == ("siting.threads_invalid", "threads")
    assert siting.SolverOptions().verbose is False


# --- silence ----------------------------------------------------------------------------------


def test_highs_prints_nothing_unless_asked():
    """In a fresh interpreter (HiGHS prints its banner once per process): nothing on stdout."""
    code = textwrap.dedent(
        """
        import pandas as pd
        from accessmap import siting
        od = pd.DataFrame({"origin_id": ["a", "a", "b", "b"], "dest_id": ["x", "y", "x", "y"],
                           "minutes": [1.0, 9.0, 8.0, 2.0]})
        demand = pd.DataFrame({"id": ["a", "b"], "population": [10.0, 20.0]})
        for name in ("mclp", "p_median", "p_center", "lscp"):
            siting.run(name, od=od, demand=demand, **({} if name == "lscp" else {"p": 1}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout == ""
    assert "HiGHS" not in out.stderr


def test_no_solver_output_in_process(capfd):
    od, demand = make_instance(1)
    siting.p_center(od, demand, p=2)
    siting.mclp(od, demand, p=2, solver=siting.SolverOptions(warm_start=False))
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


# --- the registry -----------------------------------------------------------------------------


def test_every_model_is_registered_with_its_parameters():
    table = siting.describe_models()
    assert set(table["model"]) == set(siting.MODELS)
    for name in siting.MODELS:
        spec = siting.get_model(name)
        signature = inspect.signature(spec.function)
        calls = {p.name for p in spec.parameters if p.target == "call"}
        assert calls <= set(signature.parameters), name
        assert all(p.description for p in spec.parameters)
        if "minutes" in signature.parameters:
            assert signature.parameters["minutes"].default == SITING_MINUTES, name
            assert spec.parameter("minutes").default == SITING_MINUTES
    assert siting.get_model("p-median").name == "p_median"
    assert siting.get_model("Volunteer").name == "volunteer_centres"


def test_run_checks_names_and_values_before_solving():
    od, demand = make_instance(2)
    result = siting.run("mclp", od=od, demand=demand, p=2)
    assert result.parameters["minutes"] == SITING_MINUTES
    assert result.objective == siting.mclp(od, demand, p=2).objective
    bad = [
        ({"p": 2, "radius": 5}, "n'a pas de paramètre radius", "mclp.radius"),
        ({}, "demande p", "mclp.p"),
        ({"p": "two"}, "un nombre", "mclp.p"),
        ({"p": 2.5}, "nombre entier", "mclp.p"),
        ({"p": True}, "un nombre", "mclp.p"),
        ({"p": 2, "minutes": -3}, "positif", "mclp.minutes"),
        ({"p": 2, "method": "magic"}, "l'un de : exact, greedy", "mclp.method"),
        ({"p": 2, "warm_start": "yes"}, "vrai ou faux", "mclp.warm_start"),
    ]
    for params, match, field in bad:
        with pytest.raises(ValidationError, match=match) as info:
            siting.run("mclp", od=od, demand=demand, **params)
        assert info.value.field == field
    with pytest.raises(ValidationError) as info:
        siting.run("kmeans", od=od, demand=demand, p=1)
    assert info.value.field == "model"
    assert info.value.code == "siting.unknown_model"


def test_run_builds_solver_and_model_options_from_flat_parameters():
    od, demand = make_instance(3)
    result = siting.run(
        "volunteer_centres", od=od, demand=demand, p=1, volunteer_weeks=24, patients_per_fte=800,
        time_limit=30, warm_start=False,
    )  # fmt: skip
    assert result.parameters["capacity"] == pytest.approx(24 / WEEKS_PER_FTE * 800)
    rota = siting.run("rota", od=od, demand=demand, team={"a": 2, "b": 1.5}, max_days=2)
    assert rota.rotation["days_per_week"].sum() == pytest.approx(3.5)
    assert rota.site_table["days_per_week"].max() <= 2


def test_run_model_keeps_the_old_dispatcher_working():
    od, demand = make_instance(4)
    direct = siting.mclp(od, demand, p=2, minutes=12)
    assert siting.run_model("mclp", od, demand, p=2, minutes=12).objective == direct.objective
    # p and minutes are ignored where the model has no use for them, as before
    assert siting.run_model("lscp", od, demand, p=3, minutes=40).model == "lscp"
    assert siting.run_model("p-median", od, demand, p=1, minutes=12).model == "p_median"
