"""GeoDataFrames in any CRS wherever points are taken, and results joined back to geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from accessmap.contracts import as_points, validate_points, with_geometry
from accessmap.errors import ValidationError
from accessmap.network import build_network, crowfly_times, travel_times
from test_user_graph import _graph

LONLAT = [(3.70, 45.50), (3.72, 45.51), (3.73, 45.52), (3.71, 45.52)]


def _frames(column: str = "id") -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    wgs = gpd.GeoDataFrame(
        {column: ["a", "b", "c", "d"], "population": [10, 20, 30, 40]},
        geometry=[Point(x, y) for x, y in LONLAT],
        crs="EPSG:4326",
    )
    return wgs, wgs.to_crs("EPSG:2154")


def _sorted(table: pd.DataFrame) -> np.ndarray:
    return table.sort_values(["origin_id", "dest_id"])["minutes"].to_numpy()


def test_as_points_reprojects_and_names_the_ids() -> None:
    wgs, lambert = _frames("code")
    a, b = as_points(wgs, id_column="code"), as_points(lambert, id_column="code")
    assert list(a.columns) == ["id", "lon", "lat", "population"]
    assert a["id"].tolist() == ["a", "b", "c", "d"]
    np.testing.assert_allclose(a[["lon", "lat"]], np.array(LONLAT), atol=1e-12)
    np.testing.assert_allclose(b[["lon", "lat"]], a[["lon", "lat"]], atol=1e-9)
    wgs_id, lambert_id = _frames()
    pd.testing.assert_frame_equal(validate_points(lambert_id), validate_points(a), atol=1e-9)
    pd.testing.assert_frame_equal(validate_points(wgs_id), validate_points(a))


def test_lambert93_and_wgs84_give_identical_travel_times() -> None:
    wgs, lambert = _frames()
    crow = [_sorted(crowfly_times(frame, frame).table) for frame in (wgs, lambert)]
    np.testing.assert_allclose(crow[0], crow[1], rtol=1e-9)
    assert crow[0].max() > 0
    network = build_network(_graph(speed_kph=50.0))
    road = [_sorted(travel_times(network, frame, frame).table) for frame in (wgs, lambert)]
    np.testing.assert_allclose(road[0], road[1], rtol=1e-9)
    plain = as_points(wgs)[["id", "lon", "lat"]]
    np.testing.assert_allclose(road[0], _sorted(travel_times(network, plain, plain).table))


def test_polygons_give_their_representative_point_whatever_the_crs() -> None:
    shapes = gpd.GeoDataFrame(
        {"code": ["x", "y"]},
        geometry=[box(3.70, 45.50, 3.72, 45.52), box(3.72, 45.50, 3.75, 45.51)],
        crs="EPSG:4326",
    )
    a, b = as_points(shapes, id_column="code"), as_points(shapes.to_crs(2154), id_column="code")
    np.testing.assert_allclose(a[["lon", "lat"]], b[["lon", "lat"]], atol=1e-7)
    inside = [shapes.geometry.iloc[i].contains(Point(a["lon"][i], a["lat"][i])) for i in (0, 1)]
    assert all(inside)


def test_geodataframes_without_a_crs_or_id_are_refused() -> None:
    wgs, _ = _frames()
    with pytest.raises(ValidationError) as err:
        as_points(wgs.set_crs(None, allow_override=True))
    assert err.value.code == "contracts.points_no_crs"
    with pytest.raises(ValidationError) as err:
        as_points(wgs, id_column="code")
    assert err.value.code == "contracts.missing_columns"


def test_with_geometry_joins_results_back_with_a_crs() -> None:
    wgs, lambert = _frames("code")
    result = crowfly_times(as_points(wgs, id_column="code"), as_points(wgs, id_column="code"))
    nearest = result.table.groupby("origin_id", as_index=False)["minutes"].max()
    nearest.loc[len(nearest)] = ["zz", 0.0]
    joined = with_geometry(nearest, lambert, on="origin_id", id_column="code")
    assert isinstance(joined, gpd.GeoDataFrame)
    assert joined.crs.to_epsg() == 4326
    assert joined["minutes"].tolist() == nearest["minutes"].tolist()
    np.testing.assert_allclose(joined.geometry.iloc[:4].x, wgs.geometry.x, atol=1e-9)
    assert joined.geometry.iloc[4] is None or joined.geometry.iloc[4].is_empty
    kept = with_geometry(nearest, lambert, on="origin_id", id_column="code", crs=None)
    assert kept.crs.to_epsg() == 2154
    from_table = with_geometry(nearest, as_points(wgs, id_column="code"), on="origin_id")
    assert from_table.geometry.iloc[0].equals(wgs.geometry.iloc[0])
