"""Ctrl-C, SIGTERM and SIGKILL during ``accessmap diagnose``: real subprocesses, real signals.

A "previous" state (report folder and store from a 4-commune run) is made once; each case copies
it, starts a 3-commune run (the "new" state, measured uninterrupted first), signals it at a
measured moment (while computing, once a staging folder appears, once the publication journal
appears) and checks that the report and the store are both previous or both new, never a mix:
report files hashed, store ``results_*`` tables read back. After Ctrl-C the previous report and
store must be unchanged and nothing left beside the report; after SIGKILL, the next run's
recovery and a rerun must give the uninterrupted run's outputs (report tables, store tables) with
no leftover folder. ``tables/sources.csv`` dates each read of the mirror, so it is left out of the
comparisons between runs. The crash windows inside :func:`accessmap.publish.publish` that a timed
signal rarely hits are hit exactly by a child process that kills itself at each step.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from accessmap.publish import recover, staging_folder
from accessmap.store import Store
from tests.factories import write_mirror

pytestmark = pytest.mark.slow

EXE = Path(sys.executable).with_name("accessmap")
PREVIOUS_ARGS = ("-t", "19001,19002,19003,19004", "--crowfly", "--runs", "10", "--seed", "1")
NEW_ARGS = ("-t", "19001,19002,19003", "--crowfly", "--runs", "5000", "--seed", "2")
RESULT_TABLES = ("results_communes", "results_options", "results_outlook")  # at least these
TIMEOUT_S = 600.0  # generous: only a hung child would reach it


# -- state ------------------------------------------------------------------------------------


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _store_state(store: Path) -> dict[str, str]:
    """The result tables and the travel-time cache keys, read back (not the file's bytes)."""
    with Store.open(store, read_only=True) as db:
        state = {  # every results_* table, whichever the diagnostic writes
            name: hashlib.sha256(db.read_table(name).to_csv(index=False).encode()).hexdigest()
            for name in db.tables()
            if name.startswith("results_")
        }
        keys = db.connection.execute(
            "SELECT key, method, n_pairs FROM traveltime_runs ORDER BY key"
        ).fetchall()
    state["traveltime_runs"] = repr(keys)
    return state


@dataclass(frozen=True)
class State:
    """What a run leaves: every report file, the report's tables, the store's tables."""

    report: dict[str, str]
    tables: dict[str, str]
    store: dict[str, str]

    @classmethod
    def of(cls, world: Path) -> State:
        report = world / "reports" / "tiny"
        files = _hashes(report) if report.is_dir() else {}
        tables = {  # sources.csv dates each read of the mirror: it differs between runs
            k: v
            for k, v in files.items()
            if k.startswith("tables/") and k.endswith(".csv") and not k.endswith("sources.csv")
        }
        return cls(report=files, tables=tables, store=_store_state(world / "db.duckdb"))

    def same_outputs(self, other: State) -> bool:
        return self.tables == other.tables and self.store == other.store


def _leftovers(world: Path) -> list[str]:
    """Hidden names beside the report, but its lock file (``.tiny.lock``, kept on purpose)."""
    return sorted(
        p.name
        for p in (world / "reports").iterdir()
        if p.name.startswith(".") and not p.name.endswith(".lock")
    )


# -- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    stderr: str
    seconds: float
    signalled: str  # what the parent saw when it sent the signal ("" if not sent)


def _command(world: Path, args: tuple[str, ...], mirror: Path) -> list[str]:
    return [
        str(EXE), "diagnose", *args, "--store", str(world / "db.duckdb"),
        "--out", str(world / "reports" / "tiny"), "--mirror", str(mirror),
    ]  # fmt: skip


def _seen(world: Path) -> str:
    names = [p.name for p in (world / "reports").iterdir()]
    return " ".join(sorted(names))


def _run(
    world: Path,
    args: tuple[str, ...],
    how: tuple[Path, dict[str, str]],
    *,
    sig: int | None = None,
    after_s: float | None = None,
    when_seen: str | None = None,
) -> Run:
    """Run ``diagnose``; send ``sig`` after ``after_s`` seconds or once a name containing
    ``when_seen`` appears beside the report. The child is killed if anything goes wrong."""
    start = time.monotonic()
    child = subprocess.Popen(
        _command(world, args, how[0]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=how[1],
    )  # fmt: skip
    signalled = ""
    try:
        if sig is not None:
            while child.poll() is None and time.monotonic() - start < TIMEOUT_S:
                if after_s is not None and time.monotonic() - start >= after_s:
                    break
                if when_seen is not None and when_seen in _seen(world):
                    break
                time.sleep(0.001)
            if child.poll() is None:
                signalled = _seen(world) or "-"
                child.send_signal(sig)
        _, stderr = child.communicate(timeout=TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return Run(child.returncode, stderr, time.monotonic() - start, signalled)


@dataclass(frozen=True)
class Setting:
    root: Path
    how: tuple[Path, dict[str, str]]  # the mirror and the environment of every run
    template: Path
    previous: State
    new: State
    seconds: float  # the uninterrupted new run
    staging_at: float  # when its staging folder appeared


def _copy_world(template: Path, to: Path) -> Path:
    to.mkdir(parents=True)
    for name in ("db.duckdb", "db.duckdb.wal"):
        if (template / name).exists():
            shutil.copy2(template / name, to / name)
    shutil.copytree(template / "reports", to / "reports")
    return to


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Setting:
    root = tmp_path_factory.mktemp("signals")
    mirror = write_mirror(root / "mirror")
    env = dict(os.environ, ACCESSMAP_CACHE_DIR=str(root / "cache"))
    how = (mirror, env)
    template = root / "template"
    (template / "reports").mkdir(parents=True)
    first = _run(template, PREVIOUS_ARGS, how)
    assert first.code == 0, first.stderr
    previous = State.of(template)

    reference = _copy_world(template, root / "reference")
    start = time.monotonic()
    child = subprocess.Popen(
        _command(reference, NEW_ARGS, mirror),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    staging_at = None
    try:
        while child.poll() is None and time.monotonic() - start < TIMEOUT_S:
            if staging_at is None and "-staging-" in _seen(reference):
                staging_at = time.monotonic() - start
            time.sleep(0.001)
        _, stderr = child.communicate(timeout=TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    seconds = time.monotonic() - start
    assert child.returncode == 0, stderr
    assert staging_at is not None
    new = State.of(reference)
    # The two states differ in the report and in the store: a mix could not go unnoticed.
    assert previous.tables != new.tables
    assert all(previous.store[k] != new.store[k] for k in (*RESULT_TABLES, "traveltime_runs"))
    assert previous.store.keys() == new.store.keys()
    return Setting(root, how, template, previous, new, seconds, staging_at)


def _erreur_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("erreur")]


# -- SIGINT / SIGTERM: exit 130 / 143, one line, nothing changed ------------------------------


def test_sigint_and_sigterm_leave_the_previous_state(setting: Setting) -> None:
    computing = setting.staging_at
    cases = [
        ("computing", signal.SIGINT, {"after_s": 0.4 * computing}, 130),
        ("writing", signal.SIGINT, {"when_seen": "-staging-"}, 130),
        ("sigterm", signal.SIGTERM, {"after_s": 0.7 * computing}, 143),
    ]
    interrupted = {}
    for name, sig, trigger, expected in cases:
        world = _copy_world(setting.template, setting.root / f"int-{name}")
        run = _run(world, NEW_ARGS, setting.how, sig=sig, **trigger)  # type: ignore[arg-type]
        assert "Traceback" not in run.stderr, (name, run.stderr)
        assert run.code in {expected, 0}, (name, run)
        assert _leftovers(world) == [], (name, _leftovers(world))
        state = State.of(world)
        if run.code == 0:  # the signal came after the end
            assert state.same_outputs(setting.new), (name, run)
            continue
        interrupted[name] = run.signalled
        lines = _erreur_lines(run.stderr)
        assert len(lines) == 1, (name, run.stderr)
        if "rien n'a été publié" in lines[0]:
            assert state.report == setting.previous.report, name
            assert state.store == setting.previous.store, name
        else:  # interrupted after the commit: says so, and the state is the new one
            assert "après la publication" in lines[0], (name, lines)
            assert state.same_outputs(setting.new), name
    # Not vacuous: the run was interrupted while computing and while writing the report.
    assert {"computing", "writing"} <= set(interrupted), interrupted
    assert "-staging-" in interrupted["writing"]


# -- SIGKILL: previous or new, never a mix; the rerun gives the uninterrupted outputs ---------


def test_sigkill_then_rerun_gives_the_uninterrupted_outputs(setting: Setting) -> None:
    computing = setting.staging_at
    cases = [
        ("computing", {"after_s": 0.5 * computing}),
        ("writing", {"when_seen": "..tiny-staging-"}),  # the report writer's own staging folder
        ("swapping", {"when_seen": "-publishing-"}),
    ]
    killed = {}
    for name, trigger in cases:
        world = _copy_world(setting.template, setting.root / f"kill-{name}")
        run = _run(world, NEW_ARGS, setting.how, sig=signal.SIGKILL, **trigger)  # type: ignore[arg-type]
        assert run.code in {-signal.SIGKILL, 0}, (name, run)
        if run.code == -signal.SIGKILL:
            killed[name] = run.signalled
        if name == "writing":  # the report was not touched yet: the previous state, leftovers
            assert State.of(world).same_outputs(setting.previous), name
            assert not killed.get(name) or _leftovers(world), (name, run)
        else:  # what the next run does first
            recover(world / "reports" / "tiny")
            state = State.of(world)
            assert state.same_outputs(setting.previous) or state.same_outputs(setting.new), name
            assert _leftovers(world) == [], (name, _leftovers(world))

        rerun = _run(world, NEW_ARGS, setting.how)
        assert rerun.code == 0, (name, rerun.stderr)
        assert State.of(world).same_outputs(setting.new), name
        assert _leftovers(world) == [], (name, _leftovers(world))
        if name == "writing" and name in killed:  # cleaned by the rerun itself
            assert "dossier temporaire supprimé" in rerun.stderr, rerun.stderr
    # Not vacuous: killed while computing, while writing, and with the publication journal out
    # (the report swapped or being swapped, the store not yet committed: the window where a
    # recovery that ignores the store would keep the new report beside the old results).
    assert {"computing", "writing", "swapping"} <= set(killed), killed
    assert "..tiny-staging-" in killed["writing"]
    assert "-publishing-" in killed["swapping"]


# -- every crash window of publish(), hit exactly -----------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import pandas as pd
    from accessmap.publish import publish, staging_folder
    from accessmap.store import Store

    store, target, when = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    renames = []
    real_rename = Path.rename

    def kill():
        os.kill(os.getpid(), signal.SIGKILL)

    def rename(self, new):
        renames.append(self)
        if when == f"rename-{len(renames)}":
            kill()
        return real_rename(self, new)

    Path.rename = rename
    with Store.open(store) as db, staging_folder(target) as stage, db.staged() as commit:
        (stage / "value.txt").write_text("new")
        db.write_table("results_value", pd.DataFrame({"value": ["new"]}))

        def do_commit():
            if when == "before-commit":
                kill()
            commit()
            if when == "after-commit":
                kill()

        publish(stage, target, store=db, commit=do_commit)
    kill()
    """
)


def _value_state(store: Path, target: Path) -> tuple[str | None, str | None]:
    report = (target / "value.txt").read_text() if target.is_dir() else None
    with Store.open(store, read_only=True) as db:
        if "results_value" not in db.tables():
            return report, None
        value = str(db.read_table("results_value")["value"].iloc[0])
    return report, value


@pytest.mark.parametrize(
    ("when", "with_previous", "expected"),
    [
        ("rename-1", True, "old"),  # journal written, nothing moved
        ("rename-2", True, "old"),  # report moved aside, staging not yet in place
        ("before-commit", True, "old"),  # new report in place, store not committed
        ("after-commit", True, "new"),  # committed, previous report not yet removed
        ("rename-3", True, "new"),  # committed, removing the previous report
        ("before-commit", False, None),  # first publication, store not committed
    ],
)
def test_kill_inside_publish_then_recover(
    tmp_path: Path, when: str, with_previous: bool, expected: str | None
) -> None:
    store, target = tmp_path / "db.duckdb", tmp_path / "reports" / "tiny"
    target.parent.mkdir()
    if with_previous:
        target.mkdir()
        (target / "value.txt").write_text("old")
        with Store.open(store) as db:
            db.write_table("results_value", pd.DataFrame({"value": ["old"]}))
    else:
        with Store.open(store):
            pass
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(target), when],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    notes = recover(target)
    assert notes  # there was something to settle
    assert _value_state(store, target) == (expected, expected)
    assert sorted(p.name for p in target.parent.iterdir()) == (["tiny"] if expected else [])
    assert recover(target) == []  # settled once and for all


# -- signals held during the swap (in-process) ----------------------------------------------


def _world_with_previous(tmp_path: Path) -> tuple[Path, Path]:
    store, target = tmp_path / "db.duckdb", tmp_path / "reports" / "tiny"
    target.mkdir(parents=True)
    (target / "value.txt").write_text("old")
    with Store.open(store) as db:
        db.write_table("results_value", pd.DataFrame({"value": ["old"]}))
    return store, target


def _publish_new(
    store: Path, target: Path, *, commit_hook: Callable[[], None] | None = None
) -> list[int]:
    from accessmap.publish import publish

    with Store.open(store) as db, staging_folder(target) as stage, db.staged() as commit:
        (stage / "value.txt").write_text("new")
        db.write_table("results_value", pd.DataFrame({"value": ["new"]}))

        def do_commit() -> None:
            commit()
            if commit_hook is not None:
                commit_hook()

        return publish(stage, target, store=db, commit=do_commit)


def test_ctrl_c_between_the_two_renames_puts_the_report_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, target = _world_with_previous(tmp_path)
    real_rename = Path.rename

    def rename(self: Path, new: Path) -> Path:
        out = real_rename(self, new)
        if self == target:  # the report was just moved aside
            signal.raise_signal(signal.SIGINT)
        return out

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        _publish_new(store, target)
    monkeypatch.undo()
    assert _value_state(store, target) == ("old", "old")
    assert sorted(p.name for p in target.parent.iterdir()) == ["tiny"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_during_the_commit_is_returned_once_published(tmp_path: Path) -> None:
    store, target = _world_with_previous(tmp_path)
    late = _publish_new(store, target, commit_hook=lambda: signal.raise_signal(signal.SIGINT))
    assert late == [signal.SIGINT]  # the caller says "published", then delivers it (exit 130)
    assert _value_state(store, target) == ("new", "new")
    assert sorted(p.name for p in target.parent.iterdir()) == ["tiny"]


def test_recover_removes_leftovers_without_journal(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "tiny[v2]"  # glob characters in the name
    for name in (".tiny[v2]-staging-abc", ".tiny[v2]-discard-def", ".tiny[v2]-previous-123"):
        (target.parent / name).mkdir(parents=True)
        (target.parent / name / "diagnostic.html").write_text(name)
    (target.parent / ".other-staging-abc").mkdir()
    notes = recover(target)
    # The report was missing: the previous one (moved aside, no journal) is put back.
    assert (target / "diagnostic.html").read_text() == ".tiny[v2]-previous-123"
    assert len(notes) == 3
    assert sorted(p.name for p in target.parent.iterdir()) == [".other-staging-abc", "tiny[v2]"]


# -- main(): what libraries make of Ctrl-C, SIGTERM (in-process) ----------------------------


def _raising_app(exc: BaseException) -> Callable[..., None]:
    def app(**_: object) -> None:
        raise exc

    return app


def _duckdb_interrupted() -> RuntimeError:
    """What DuckDB raises when Ctrl-C lands in a query: a RuntimeError caused by the interrupt."""
    exc = RuntimeError("Query interrupted")
    exc.__cause__ = KeyboardInterrupt()
    return exc


@pytest.mark.parametrize(
    "exc",
    [KeyboardInterrupt(), _duckdb_interrupted()],
    ids=["keyboard-interrupt", "duckdb-query-interrupted"],
)
def test_main_turns_interrupts_into_130(
    exc: BaseException, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accessmap import cli

    monkeypatch.setattr(cli, "app", _raising_app(exc))
    assert cli.main(["diagnose"]) == 130
    err = capsys.readouterr().err
    assert len(_erreur_lines(err)) == 1
    assert "rien n'a été publié" in err


def test_main_turns_sigterm_into_143(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accessmap import cli

    before = signal.getsignal(signal.SIGTERM)

    def app(**_: object) -> None:
        signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(cli, "app", app)
    assert cli.main(["diagnose"]) == 143
    assert "SIGTERM" in _erreur_lines(capsys.readouterr().err)[0]
    assert signal.getsignal(signal.SIGTERM) is before


def test_main_does_not_hide_other_runtime_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from accessmap import cli

    monkeypatch.setattr(cli, "app", _raising_app(RuntimeError("a real bug")))
    with pytest.raises(RuntimeError, match="a real bug"):
        cli.main(["diagnose"])


def test_ctrl_c_after_publishing_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accessmap import cli
    from accessmap.cli._app import STATE

    def app(**_: object) -> None:
        STATE["published"] = True  # as diagnose does once publish() returned
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", app)
    assert cli.main(["diagnose"]) == 130
    (line,) = _erreur_lines(capsys.readouterr().err)
    assert "après la publication" in line
    monkeypatch.undo()
    assert cli.main(["--help"]) == 0  # the next call starts afresh
    assert not STATE["published"]


def test_staging_folder_removes_the_report_writers_folders_on_ctrl_c(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "tiny"

    def interrupted_write() -> None:
        with staging_folder(target) as stage:
            (stage / "diagnostic.html").write_text("half")
            stage.with_name(f".{stage.name}-staging-x1").mkdir()  # as tempfile names them
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_write()
    assert list(target.parent.iterdir()) == []
