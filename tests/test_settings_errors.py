from __future__ import annotations

from pathlib import Path

import pytest

from accessmap import settings
from accessmap.errors import AccessmapError, MissingDataError, OfflineError, ValidationError


def test_error_message_names_field_and_fix():
    err = ValidationError("contracts.bad_values", field="population", ids=["a"], hint="do it")
    assert err.code == "contracts.bad_values"
    assert err.message == "valeur(s) manquante(s), infinie(s) ou négative(s) pour a."
    assert err.fix == "do it."
    assert str(err) == f"population : {err.message} Correctif : do it."
    bare = ValidationError("contracts.empty_table", field=None)
    assert str(bare) == "le tableau est vide. Correctif : donnez au moins une commune."
    assert isinstance(err, AccessmapError)
    assert isinstance(err, ValueError)
    assert issubclass(OfflineError, MissingDataError)


def test_settings_env_then_override(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ACCESSMAP_CROWFLY_SPEED_KMH", "45")
    monkeypatch.setenv("ACCESSMAP_USER_AGENT", "tester")
    current = settings.get_settings()
    assert current.crowfly_speed_kmh == 45.0
    assert current.user_agent == "tester"
    assert current.online is False  # the autouse fixture's override wins over the environment
    with settings.override(crowfly_speed_kmh=30.0, mirror="somewhere") as inner:
        assert inner.crowfly_speed_kmh == 30.0
        assert inner.mirror == Path("somewhere")
        with settings.override(crowfly_speed_kmh=20.0):
            assert settings.get_settings().crowfly_speed_kmh == 20.0
        assert settings.get_settings().crowfly_speed_kmh == 30.0
    assert settings.get_settings().crowfly_speed_kmh == 45.0


def test_settings_reject_bad_values(monkeypatch: pytest.MonkeyPatch):
    with (
        pytest.raises(ValidationError) as err,
        settings.override(online="perhaps"),
    ):
        pass
    assert (err.value.code, err.value.field) == ("settings.not_boolean", "ACCESSMAP_ONLINE")
    assert "perhaps" in err.value.message
    monkeypatch.setenv("ACCESSMAP_HTTP_TIMEOUT", "soon")
    with pytest.raises(ValidationError) as err:
        settings.get_settings()
    assert (err.value.code, err.value.field) == ("settings.not_number", "http_timeout")
    monkeypatch.delenv("ACCESSMAP_HTTP_TIMEOUT")
    with (
        pytest.raises(ValidationError) as err,
        settings.override(crowfly_circuity=-1),
    ):
        pass
    assert (err.value.code, err.value.field) == ("settings.not_positive", "crowfly_circuity")
    with pytest.raises(ValidationError) as err, settings.override(nope=1):
        pass
    assert err.value.code == "settings.unknown"
    assert err.value.params["names"] == ["nope"]


def test_configure_persists_until_reset():
    try:
        settings.configure(crowfly_speed_kmh=42.0, mirror=None)
        assert settings.get_settings().crowfly_speed_kmh == 42.0
        with settings.override(crowfly_speed_kmh=10.0):
            assert settings.get_settings().crowfly_speed_kmh == 10.0
        assert settings.get_settings().crowfly_speed_kmh == 42.0
        with pytest.raises(ValidationError):
            settings.configure(crowfly_speed_kmh=-1.0)
        assert settings.get_settings().crowfly_speed_kmh == 42.0
    finally:
        settings.reset()
    assert settings.get_settings().crowfly_speed_kmh == 60.0


def test_store_threads_a_positive_integer_used_by_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    from accessmap.store import Store

    assert settings.get_settings().store_threads == 1
    monkeypatch.setenv("ACCESSMAP_STORE_THREADS", "2")
    assert settings.get_settings().store_threads == 2
    with Store.open(tmp_path / "s.duckdb") as store:
        assert store.connection.execute("SELECT current_setting('threads')").fetchone() == (2,)
    for bad, code in (("1.5", "settings.not_integer"), ("0", "settings.not_positive")):
        monkeypatch.setenv("ACCESSMAP_STORE_THREADS", bad)
        with pytest.raises(ValidationError) as err:
            settings.get_settings()
        assert (err.value.code, err.value.field) == (code, "store_threads")


def test_solver_threads_the_default_of_highs_unless_a_model_sets_them(
    monkeypatch: pytest.MonkeyPatch,
):
    import time

    from accessmap.siting import SolverOptions
    from accessmap.siting._highs import new_highs

    deadline = time.perf_counter() + 10.0
    assert settings.get_settings().solver_threads == 1
    assert new_highs(SolverOptions(), deadline).getOptionValue("threads")[1] == 1
    monkeypatch.setenv("ACCESSMAP_SOLVER_THREADS", "2")
    assert new_highs(SolverOptions(), deadline).getOptionValue("threads")[1] == 2
    assert new_highs(SolverOptions(threads=1), deadline).getOptionValue("threads")[1] == 1
    monkeypatch.setenv("ACCESSMAP_SOLVER_THREADS", "0")
    with pytest.raises(ValidationError) as err:
        settings.get_settings()
    assert (err.value.code, err.value.field) == ("settings.not_positive", "solver_threads")


def test_solver_time_cap_shortens_a_model_s_limit_never_lengthens_it(
    monkeypatch: pytest.MonkeyPatch,
):
    from accessmap.siting import SolverOptions

    assert settings.get_settings().solver_time_cap is None
    assert SolverOptions(time_limit=10.0).seconds() == 10.0
    monkeypatch.setenv("ACCESSMAP_SOLVER_TIME_CAP", "0.5")
    assert settings.get_settings().solver_time_cap == 0.5
    assert SolverOptions(time_limit=10.0).seconds() == 0.5
    assert SolverOptions(time_limit=10.0).time_limit == 10.0  # the options are unchanged
    monkeypatch.setenv("ACCESSMAP_SOLVER_TIME_CAP", "100")
    assert SolverOptions(time_limit=10.0).seconds() == 10.0  # a shorter own limit stands
    for bad, code in (("0", "settings.not_positive"), ("vite", "settings.not_number")):
        monkeypatch.setenv("ACCESSMAP_SOLVER_TIME_CAP", bad)
        with pytest.raises(ValidationError) as err:
            settings.get_settings()
        assert (err.value.code, err.value.field) == (code, "solver_time_cap")
