"""Parsed copies kept in the cache folder give exactly what parsing the source gives."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import shapely
from pandas.testing import assert_frame_equal

from accessmap import settings
from accessmap.sources import communes as communes_source
from accessmap.sources import zrr as zrr_source
from accessmap.sources.communes import load_communes
from accessmap.sources.mirror import resolve
from accessmap.sources.parks import EXTENTS_FILE, departments_meeting
from accessmap.sources.zrr import load_zrr


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"), check_exact=True)
    assert list(shapely.to_wkb(a.geometry.to_numpy())) == list(
        shapely.to_wkb(b.geometry.to_numpy())
    )
    assert a.crs == b.crs


def test_communes_kept_copy_is_the_parsed_frame(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with settings.override(mirror=mirror):
        source = resolve("communes", dep="23")
        parsed = communes_source._read_department(source.path, "23")  # no key: nothing kept
        assert not (tmp_path / "cache" / "parsed").exists()
        first = communes_source._read_department(source.path, "23", sha256=source.sha256)
        kept = list((tmp_path / "cache" / "parsed").glob("communes-23-*.parquet"))
        assert len(kept) == 1
        monkeypatch.setattr(communes_source, "_parse_features", _no_parsing)
        again = communes_source._read_department(source.path, "23", sha256=source.sha256)
        monkeypatch.undo()
        _same(parsed, first)
        _same(parsed, again)
        kept[0].write_bytes(b"not parquet")  # a damaged copy is parsed again
        _same(parsed, communes_source._read_department(source.path, "23", sha256=source.sha256))
        _same(load_communes(["23"]), load_communes(["23"]))


def _no_parsing(*args: object, **kwargs: object) -> object:
    raise AssertionError("the kept copy should have been read")


def test_zrr_kept_copy_is_the_parsed_table(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with settings.override(mirror=mirror):
        first = load_zrr()
        assert list((tmp_path / "cache" / "parsed").glob("zrr-*.parquet"))
        monkeypatch.setattr(zrr_source, "_parse_zrr", _no_parsing)
        again = load_zrr()
    assert_frame_equal(first, again, check_exact=True)


def test_extents_are_remembered_and_read_again_when_a_file_changes(
    mirror: Path, tmp_path: Path
) -> None:
    box = (1.5, 45.3, 2.5, 46.0)
    with settings.override(mirror=mirror):
        first = departments_meeting(box)
        store = tmp_path / "cache" / "parsed" / EXTENTS_FILE
        known = json.loads(store.read_text(encoding="utf-8"))
        assert "23" in first
        assert set(first) <= set(known)
        known["23"]["bounds"] = [50.0, 50.0, 51.0, 51.0]  # far away, but for the same file
        store.write_text(json.dumps(known), encoding="utf-8")
        assert "23" not in departments_meeting(box)  # the remembered extent is used
        known["23"]["key"][1] += 1  # another size: the file is read again
        store.write_text(json.dumps(known), encoding="utf-8")
        assert departments_meeting(box) == first


def test_road_ways_kept_copy_is_the_parsed_file(mirror: Path, tmp_path: Path) -> None:
    import dataclasses

    import numpy as np

    from accessmap.sources import osmfile

    road = next((mirror / "roads").glob("*.osm"))
    parsed = osmfile.read_road_ways(road)
    assert not list((tmp_path / "cache").rglob("roads-*.npz"))  # nothing kept unless asked
    first = osmfile.read_road_ways(road, keep=True)
    assert len(list((tmp_path / "cache" / "parsed").glob("roads-*.npz"))) == 1
    kept = osmfile._kept_ways(road)
    assert kept is not None
    for ways in (first, kept):
        for item in dataclasses.fields(parsed):
            mine, theirs = getattr(parsed, item.name), getattr(ways, item.name)
            if isinstance(mine, np.ndarray):
                assert mine.dtype == theirs.dtype
                assert [(type(v), v) for v in mine.tolist()] == [
                    (type(v), v) for v in theirs.tolist()
                ]
            else:
                assert mine == theirs
