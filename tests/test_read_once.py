"""One read per input per run: a whole diagnostic reads each file once (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessmap import settings
from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
from accessmap.inputs import InputOptions
from accessmap.sources import _once, load_communes
from accessmap.sources._once import READS, read_once
from tests.factories import write_mirror
from tests.osm_fixtures import grid_osm, write_osm
from tests.test_sources import _workbook


@pytest.fixture
def tiny_road_mirror(tmp_path: Path) -> Path:
    """The tiny mirror with a road grid covering it and a small DREES workbook."""
    mirror = write_mirror(tmp_path / "mirror")
    nodes, ways = grid_osm(1.9, 45.5, 2.6, 46.7, step=0.05)
    (mirror / "roads").mkdir()
    write_osm(mirror / "roads" / "tiny.osm", nodes, ways, bounds=(1.9, 45.5, 2.6, 46.7))
    _workbook(mirror / "drees" / "apl_generalistes.xlsx")
    return mirror


def test_a_diagnostic_reads_each_input_once(tiny_road_mirror: Path, tmp_path: Path) -> None:
    before = READS.copy()
    with settings.override(mirror=tiny_road_mirror, cache_dir=tmp_path / "cache", online=False):
        diagnostic = run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003", buffer_km=5), runs=5
            )
        )
    reads = READS - before
    assert diagnostic.traveltimes.method == "osm"  # the road file was used
    assert diagnostic.calibration is not None  # the calibration over whole departments ran
    assert reads["roads"] == 1
    assert reads["drees_parameters"] == 1
    assert reads["drees_published"] == 1
    # one read per department file (19 and 23: the buffer and the calibration reach both)
    assert reads["communes"] == 2
    # the territory itself once, and the calibration's departments once
    assert reads["territory"] == 2
    assert reads["bpe"] <= 1
    assert reads["gp_sites_creuse"] <= 1
    assert reads["zrr"] <= 1
    assert max(reads.values()) <= 2


def test_outside_a_run_nothing_is_kept(tiny_road_mirror: Path) -> None:
    with settings.override(mirror=tiny_road_mirror):
        before = READS["communes"]
        first = load_communes(["19"])
        load_communes(["19"])
        assert READS["communes"] == before + 2
        with read_once():
            inside = load_communes(["19"])
            again = load_communes(["19"])
        assert READS["communes"] == before + 3
    assert again.equals(inside)
    assert inside.equals(first)
    assert _once._SCOPE.get() is None


def test_the_command_reads_each_input_once_and_lets_go_before_writing(
    tiny_road_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``diagnose`` end to end: the report and the store read no input again (issue 24).

    Once the computation is done the run forgets what it read (:func:`forget_reads`): the write
    phase finds the scope empty, and reading nothing leaves the counts of the computation.
    """
    from accessmap import app
    from accessmap.cli import main

    held: list[int] = []
    inner = app.diagnose.write_report

    def write_report(*args: object, **kwargs: object) -> object:
        scope = _once._SCOPE.get()
        held.append(-1 if scope is None else len(scope))
        return inner(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app.diagnose, "write_report", write_report)
    monkeypatch.chdir(tmp_path)
    before = READS.copy()
    with settings.override(cache_dir=tmp_path / "cache", online=False):
        code = main(
            ["diagnose", "-t", "19001,19002,19003", "--buffer-km", "5", "--runs", "5",
             "--mirror", str(tiny_road_mirror), "--store", str(tmp_path / "s.duckdb")]
        )  # fmt: skip
    assert code == 0
    assert held == [0]  # the report was written with the scope open and empty
    reads = READS - before
    assert reads["roads"] == 1
    assert reads["drees_published"] == 1
    assert reads["communes"] == 2
    assert max(reads.values()) <= 2


def test_forgetting_drops_what_the_scope_holds(tiny_road_mirror: Path) -> None:
    with settings.override(mirror=tiny_road_mirror):
        before = READS["communes"]
        with read_once():
            first = load_communes(["19"])
            _once.forget_reads()
            again = load_communes(["19"])
            assert READS["communes"] == before + 2  # read again
            load_communes(["19"])
            assert READS["communes"] == before + 2  # and kept again
        _once.forget_reads()  # outside any scope: nothing to do
    assert again.equals(first)
