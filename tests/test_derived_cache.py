"""Derived results kept between runs: handed back only while every input is unchanged (issue 24)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from accessmap import settings
from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
from accessmap.inputs import InputOptions
from accessmap.inputs.derived import remembered
from accessmap.sources import derived
from accessmap.sources._once import READS
from tests.test_read_once import tiny_road_mirror  # noqa: F401 (fixture)


class _Counted:
    """A computation that counts its calls and reads one mirror file."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.calls = 0

    def __call__(self) -> tuple[str, list[Path]]:
        self.calls += 1
        return f"{self.file.read_text()}-{self.calls}", [self.file]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    mirror = tmp_path / "mirror"
    (mirror / "drees").mkdir(parents=True)
    source = mirror / "drees" / "apl_generalistes.xlsx"
    source.write_text("v1")
    return mirror, tmp_path / "cache"


def _ask(compute: _Counted, question: str = "q", **kwargs: object) -> str | None:
    return remembered("test", question={"q": question}, compute=compute, **kwargs)  # type: ignore[arg-type]


def test_a_result_is_kept_and_handed_back_while_its_files_are_unchanged(
    world: tuple[Path, Path],
) -> None:
    mirror, cache = world
    compute = _Counted(mirror / "drees" / "apl_generalistes.xlsx")
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        first = _ask(compute)
        again = _ask(compute)
        # another question has its own file
        other = _ask(compute, "other")
    assert first == again == "v1-1"
    assert other == "v1-2"
    assert compute.calls == 2
    assert len(list((cache / "derived").glob("test-*.pkl"))) == 2


def test_a_changed_file_is_computed_again(world: tuple[Path, Path]) -> None:
    mirror, cache = world
    source = mirror / "drees" / "apl_generalistes.xlsx"
    compute = _Counted(source)
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert _ask(compute) == "v1-1"
        stat = source.stat()
        source.write_text("v2")  # same size, same modification time: only the bytes tell
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert _ask(compute) == "v2-2"
        assert _ask(compute) == "v2-2"
    assert compute.calls == 2


def test_a_new_source_file_a_setting_or_the_code_change_the_key(
    world: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror, cache = world
    compute = _Counted(mirror / "drees" / "apl_generalistes.xlsx")
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert _ask(compute) == "v1-1"
        (mirror / "roads").mkdir()
        (mirror / "roads" / "new.osm").write_text("<osm/>")  # a load may read it now
        assert _ask(compute) == "v1-2"
        with settings.override(store_path=cache / "another.duckdb", solver_time_cap=1.0):
            assert _ask(compute) == "v1-2"  # where the store is changes no input
        with settings.override(crowfly_speed_kmh=50.0):
            assert _ask(compute) == "v1-3"
        monkeypatch.setattr(derived, "code_digest", lambda: "another version of the code")
        assert _ask(compute) == "v1-4"
    assert compute.calls == 4


def test_a_users_road_file_is_part_of_the_key(world: tuple[Path, Path], tmp_path: Path) -> None:
    mirror, cache = world
    compute = _Counted(mirror / "drees" / "apl_generalistes.xlsx")
    road = tmp_path / "mine.osm"
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert _ask(compute, extra=[road]) == "v1-1"  # not there yet: the load says so
        road.write_text("<osm/>")
        assert _ask(compute, extra=[road]) == "v1-2"
        assert _ask(compute, extra=[road]) == "v1-2"
        road.write_text("<osm></osm>")
        assert _ask(compute, extra=[road]) == "v1-3"


def test_downloads_and_no_mirror_keep_nothing(world: tuple[Path, Path]) -> None:
    mirror, cache = world
    compute = _Counted(mirror / "drees" / "apl_generalistes.xlsx")
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert _ask(compute, online=True) == "v1-1"
        assert _ask(compute, online=True) == "v1-2"
    with settings.override(mirror=mirror, cache_dir=cache, online=True):
        assert _ask(compute) == "v1-3"
    with settings.override(mirror=None, cache_dir=cache, online=False):
        assert _ask(compute) == "v1-4"
    assert not (cache / "derived").exists()


def test_a_damaged_kept_file_is_computed_again(world: tuple[Path, Path]) -> None:
    mirror, cache = world
    compute = _Counted(mirror / "drees" / "apl_generalistes.xlsx")
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert _ask(compute) == "v1-1"
        (kept,) = (cache / "derived").glob("test-*.pkl")
        kept.write_bytes(b"\x80\x05not a pickle")
        assert _ask(compute) == "v1-2"
        assert _ask(compute) == "v1-2"  # the damaged file was replaced
    assert compute.calls == 2


def test_nothing_to_keep(world: tuple[Path, Path]) -> None:
    mirror, cache = world
    with settings.override(mirror=mirror, cache_dir=cache, online=False):
        assert remembered("test", question={}, compute=lambda: None) is None
    assert not (cache / "derived").exists()


def test_the_next_run_reads_the_calibration_without_loading_its_departments(
    tiny_road_mirror: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    options = DiagnosticOptions(
        inputs=InputOptions(territory="19001,19002,19003", buffer_km=5), runs=5
    )
    runs, said = [], []
    with settings.override(mirror=tiny_road_mirror, cache_dir=tmp_path / "cache", online=False):
        for _ in range(2):
            before = READS.copy()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                runs.append((run_diagnostic(options), READS - before))
            said.append(sorted({str(w.message) for w in caught}))
    (first, first_reads), (second, second_reads) = runs
    # the calibration area's warnings (its buffer reaches departments not in the mirror) are
    # given again by the run that reads it back
    assert len([s for s in said[0] if "535 km²" in s]) == 1
    assert said[1] == said[0]
    assert first_reads["territory"] == 2  # the territory, then the calibration's departments
    assert second_reads["territory"] == 1  # the territory only: the calibration was kept
    assert first.calibration is not None
    assert repr(second.calibration) == repr(first.calibration)  # NaN correlations alike
    assert first.calibration_times is not None
    assert second.calibration_times is not None
    assert_frame_equal(second.calibration_times.table, first.calibration_times.table)
    assert second.inputs.params == first.inputs.params  # the calibrated level
    assert_frame_equal(second.comparison, first.comparison)
    assert second.warnings == first.warnings
