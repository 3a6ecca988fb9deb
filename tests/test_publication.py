"""Crash-consistent publication, seen from every command: kill -9 anywhere, then ``check``.

``diagnose`` is killed (SIGKILL) at many instants spread over its publication (from the moment
its journal appears beside the report to the end of the folder swap and the commit); the next
command is not ``diagnose`` but ``accessmap check`` or ``accessmap indicators``, which open the
store and so settle the interrupted publication first (:func:`accessmap.publish.settle`). The
report's tables and the store's tables must then be both the previous ones or both the new ones.
Also: the one-run-per-folder lock holds across different ``TMPDIR`` and stores.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from accessmap.publish import lock_path, report_lock
from accessmap.store import Store
from tests.test_signals import (
    EXE,
    NEW_ARGS,
    TIMEOUT_S,
    Setting,
    State,
    _command,
    _copy_world,
    _leftovers,
    _seen,
    setting,
)

pytestmark = pytest.mark.slow

__all__ = ["setting"]

#: Delays (seconds) after the journal appears: the swap and the commit take milliseconds.
KILL_DELAYS_S = (0.0, 0.0002, 0.0005, 0.001, 0.002, 0.004, 0.007, 0.012, 0.02, 0.035, 0.06)
TERRITORY = ("-t", "19001,19002,19003")


def _kill_during_publication(world: Path, setting: Setting, delay_s: float) -> str:
    """Start the new run; SIGKILL it ``delay_s`` after its journal appears; return what was seen."""
    child = subprocess.Popen(
        _command(world, NEW_ARGS, setting.how[0]), env=setting.how[1], start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    seen = ""
    start = time.monotonic()
    try:
        while child.poll() is None and time.monotonic() - start < TIMEOUT_S:
            if "-publishing-" in _seen(world):
                break
            time.sleep(0.0002)
        until = time.monotonic() + delay_s
        while time.monotonic() < until:
            pass  # busy wait: sleep() is too coarse for sub-millisecond delays
        if child.poll() is None:
            seen = _seen(world) or "-"
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    return seen


def _next_command(world: Path, setting: Setting, command: str) -> subprocess.CompletedProcess[str]:
    store, out = str(world / "db.duckdb"), str(world / "reports" / "tiny")
    args = [str(EXE), command, *TERRITORY, "--store", store, "--mirror", str(setting.how[0])]
    args += ["--out", out] if command == "check" else ["--crowfly"]
    return subprocess.run(
        args, capture_output=True, text=True, env=setting.how[1], timeout=TIMEOUT_S, check=False
    )


def _diagnose_tables(state: State, reference: State) -> dict[str, str]:
    """The result tables ``diagnose`` writes (``indicators`` adds its own and its travel times)."""
    return {
        k: v for k, v in state.store.items() if k in reference.store and k.startswith("results_")
    }


def test_sigkill_anywhere_in_the_publication_then_any_command(setting: Setting) -> None:
    outcomes = []
    for i, delay in enumerate(KILL_DELAYS_S):
        world = _copy_world(setting.template, setting.root / f"publication-{i}")
        seen = _kill_during_publication(world, setting, delay)
        command = "indicators" if i % 3 == 2 else "check"
        after = _next_command(world, setting, command)
        assert after.returncode == 0, (delay, command, after.stderr)
        assert "Traceback" not in after.stderr
        state = State.of(world)
        store = _diagnose_tables(state, setting.new)
        old = state.tables == setting.previous.tables and store == _diagnose_tables(
            setting.previous, setting.new
        )
        new = state.tables == setting.new.tables and store == _diagnose_tables(
            setting.new, setting.new
        )
        assert old or new, (delay, seen)  # the report's CSVs and the store's tables agree
        assert _leftovers(world) == [], (delay, _leftovers(world))
        outcomes.append((seen, "new" if new else "old"))
    killed = [seen for seen, _ in outcomes if seen]
    assert len(killed) >= 10, outcomes
    # Not vacuous: some kills landed with the journal out (the swap under way).
    assert any("-publishing-" in seen for seen in killed), outcomes


def _is_held(lock: Path) -> bool:
    """Whether some process holds a ``flock`` on ``lock``, read from ``/proc/locks``.

    Not a probe by taking the lock: the run being watched could try it at that very instant.
    """
    if not lock.exists():
        return False
    inode = lock.stat().st_ino
    lines = Path("/proc/locks").read_text().splitlines()
    return any(
        fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode)
        for fields in (line.split() for line in lines)
        if len(fields) > 5 and fields[1] != "->"
    )


def _wait_until_held(lock: Path, child: subprocess.Popen[str]) -> None:
    """Wait until ``child`` holds ``lock``, not merely until the file exists.

    The lock file stays beside the folder after a run, so the copied world already has one:
    its existence says nothing about who holds it.
    """
    start = time.monotonic()
    while not _is_held(lock) and child.poll() is None and time.monotonic() - start < TIMEOUT_S:
        time.sleep(0.01)


def test_a_second_run_on_the_folder_is_refused_whatever_tmpdir(setting: Setting) -> None:
    world = _copy_world(setting.template, setting.root / "lock-a")
    other = setting.root / "lock-b"
    other.mkdir()
    tmp_a, tmp_b = setting.root / "tmp-a", setting.root / "tmp-b"
    tmp_a.mkdir()
    tmp_b.mkdir()
    first = subprocess.Popen(
        _command(world, NEW_ARGS, setting.how[0]), env=dict(setting.how[1], TMPDIR=str(tmp_a)),
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_until_held(lock_path(world / "reports" / "tiny"), first)
        assert first.poll() is None, "the first run ended before it was seen holding the folder"
        # Paused while it holds the lock, so that the second run meets it however slow the
        # machine is (on a loaded machine the tiny run would otherwise end first).
        first.send_signal(signal.SIGSTOP)
        command = _command(world, NEW_ARGS, setting.how[0])
        command[command.index("--store") + 1] = str(other / "db.duckdb")
        second = subprocess.run(
            command, env=dict(setting.how[1], TMPDIR=str(tmp_b)), capture_output=True, text=True,
            timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    finally:
        first.send_signal(signal.SIGCONT)
        first.wait(timeout=TIMEOUT_S)
    assert second.returncode == 2, second.stderr
    lines = [line for line in second.stderr.splitlines() if line.startswith("erreur")]
    assert len(lines) == 1, second.stderr
    assert "tiny" in lines[0]
    assert "Traceback" not in second.stderr
    assert first.returncode == 0
    assert State.of(world).same_outputs(setting.new)
    assert not (other / "db.duckdb").exists() or "results_communes" not in _tables(other)


def _tables(world: Path) -> list[str]:
    with Store.open(world / "db.duckdb", read_only=True) as db:
        return db.tables()


def test_report_lock_lives_beside_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "tiny"
    script = (
        "import sys; from pathlib import Path; from accessmap.publish import report_lock\n"
        "with report_lock(Path(sys.argv[1])): pass\n"
    )
    other_tmp = tmp_path / "elsewhere"
    other_tmp.mkdir()
    with report_lock(target):
        assert lock_path(target).parent == target.parent
        child = subprocess.run(
            [str(EXE.with_name("python")), "-c", script, str(target)],
            env=dict(os.environ, TMPDIR=str(other_tmp)), capture_output=True, text=True,
            timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    assert child.returncode != 0
    assert "ValidationError" in child.stderr


@pytest.mark.parametrize("when", ["rename-2", "before-commit", "after-commit"])
def test_opening_the_store_settles_a_killed_publication(tmp_path: Path, when: str) -> None:
    """Not ``diagnose``: any opening of the store (a notebook, ``check``) settles it first."""
    import sys

    import pandas as pd

    from tests.test_signals import CHILD, _value_state

    store, target = tmp_path / "db.duckdb", tmp_path / "reports" / "tiny"
    target.mkdir(parents=True)
    (target / "value.txt").write_text("old")
    with Store.open(store) as db:
        db.write_table("results_value", pd.DataFrame({"value": ["old"]}))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(target), when],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert any("-publishing-" in p.name for p in tmp_path.iterdir())  # the store's pointer
    with Store.open(store, read_only=True) as db:  # as a notebook does
        assert "results_value" in db.tables()
    expected = "new" if when == "after-commit" else "old"
    assert _value_state(store, target) == (expected, expected)
    assert sorted(p.name for p in target.parent.iterdir()) == [".tiny.lock", "tiny"]
    assert not any("-publishing-" in p.name for p in tmp_path.iterdir())
