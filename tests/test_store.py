from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from accessmap.errors import MissingDataError, ValidationError
from accessmap.sources.mirror import SourceFile
from accessmap.store import Store, spatial_extension_path
from tests.factories import tiny_communes


def _od() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin_id": ["19001", "19001", "19002"],
            "dest_id": ["s1", "s2", "s1"],
            "minutes": [3.5, float("inf"), 12.0],
            "method": ["osm", "osm", "osm"],
        }
    )


def test_spatial_extension_loads_offline(tmp_path: Path):
    assert spatial_extension_path().is_file()
    with Store.open(tmp_path / "a.duckdb") as store:
        wkt = store.connection.execute("SELECT ST_AsText(ST_Point(1, 2))").fetchone()
    assert wkt == ("POINT (1 2)",)


def _spatial_loaded(store: Store) -> bool:
    con = store._con  # the public connection property would load it
    found = con.execute(
        "SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'spatial'"
    ).fetchone()
    return bool(found and found[0])


def test_spatial_extension_loaded_only_when_needed(tmp_path: Path):
    path = tmp_path / "a.duckdb"
    with Store.open(path) as store:
        store.write_table("communes", tiny_communes())
    with Store.open(path) as store:  # a check, the travel-time cache: no spatial SQL
        assert "communes" in store.tables()
        store.write_table("plain", pd.DataFrame({"a": [1]}))
        assert store.read_table("plain")["a"].tolist() == [1]
        assert not _spatial_loaded(store)
        assert isinstance(store.read_table("communes"), gpd.GeoDataFrame)
        assert _spatial_loaded(store)


def test_geo_roundtrip_and_exports(tmp_path: Path):
    communes = tiny_communes().to_crs(2154)
    with Store.open(tmp_path / "a.duckdb") as store:
        store.write_table("communes", communes)
        back = store.read_table("communes")
        assert isinstance(back, gpd.GeoDataFrame)
        assert back.crs.to_epsg() == 4326
        assert back["code"].tolist() == communes["code"].tolist()
        assert back.geometry.iloc[0].bounds == pytest.approx((2.0, 45.6, 2.1, 45.7), abs=1e-6)
        area = store.connection.execute("SELECT sum(ST_Area(geom)) FROM communes").fetchone()
        assert area is not None
        assert area[0] == pytest.approx(0.07, rel=1e-6)
        gpkg = store.export("communes", tmp_path / "out" / "x.gpkg")
        store.write_table("plain", pd.DataFrame({"a": [1, 2]}))
        store.export("plain", gpkg)
        parquet = store.export("communes", tmp_path / "out" / "x.parquet")
        with pytest.raises(ValidationError) as err:
            store.export("communes", tmp_path / "x.csv")
        assert (err.value.code, err.value.params["name"]) == ("store.export_suffix", "x.csv")
    assert len(gpd.read_file(gpkg, layer="communes")) == 7
    assert len(gpd.read_file(gpkg, layer="plain")) == 2
    assert gpd.read_parquet(parquet).crs.to_epsg() == 4326
    assert not list((tmp_path / "out").glob(".export-*"))


def test_failed_write_keeps_previous_state(tmp_path: Path):
    path = tmp_path / "a.duckdb"
    with Store.open(path) as store:
        store.write_table("results_x", pd.DataFrame({"v": [1, 2, 3]}))

        def interrupted_load() -> None:
            with store.transaction():
                store.write_table("results_x", pd.DataFrame({"v": [9]}))
                store.write_traveltimes(_od(), key="k")
                raise RuntimeError("interrupted")

        with pytest.raises(RuntimeError):
            interrupted_load()
        assert store.read_table("results_x")["v"].tolist() == [1, 2, 3]
        assert store.read_traveltimes("k") is None
    with Store.open(path) as store:  # and on disk
        assert store.read_table("results_x")["v"].tolist() == [1, 2, 3]


def test_traveltimes_by_key(tmp_path: Path):
    with Store.open(tmp_path / "a.duckdb") as store:
        assert store.read_traveltimes("k1") is None
        store.write_traveltimes(_od(), key="k1", label="tiny")
        store.write_traveltimes(_od().head(1), key="k2")
        back = store.read_traveltimes("k1")
        assert back is not None
        assert len(back) == 3
        assert back["minutes"].iloc[1] == float("inf")
        store.write_traveltimes(_od().head(2), key="k1")  # replaces k1 only
        again = store.read_traveltimes("k1")
        assert again is not None
        assert len(again) == 2
        with pytest.raises(ValidationError) as err:
            store.write_traveltimes(_od().drop(columns="minutes"), key="k3")
        assert err.value.code == "store.traveltimes_columns"
        assert err.value.params["columns"] == ["minutes"]


def test_provenance_and_errors(tmp_path: Path):
    record = SourceFile("communes", tmp_path, "/m/communes-19.geojson", "mirror", "2026", "ab", "t")
    with Store.open(tmp_path / "a.duckdb") as store:
        assert store.record_provenance([record, record]) == 1
        store.record_provenance([record])
        table = store.provenance()
        assert len(table) == 1
        assert table.loc[0, "location"] == "/m/communes-19.geojson"
        with pytest.raises(MissingDataError) as missing:
            store.read_table("nope")
        assert (missing.value.code, missing.value.field) == ("store.no_table", "nope")
        with pytest.raises(ValidationError) as err:
            store.write_table("drop table x;", pd.DataFrame({"a": [1]}))
        assert err.value.code == "store.bad_table_name"
        with pytest.raises(ValidationError) as err:
            store.write_table(
                "g", gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([0], [0]))
            )
        assert (err.value.code, err.value.field) == ("store.no_crs", "crs")
    with (
        pytest.raises(MissingDataError) as missing,
        Store.open(tmp_path / "none.duckdb", read_only=True),
    ):
        pass
    assert (missing.value.code, missing.value.field) == ("store.missing", "--store")
    assert str(tmp_path) not in str(missing.value)  # the file's name, not the machine's path
